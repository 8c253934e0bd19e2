import "server-only";
import { AppError } from "./errors";

/**
 * The request body as text, refused with 413 past `maxBytes` whether or not the client sent a
 * Content-Length (a chunked upload is counted as it arrives, never buffered past the limit).
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
  const tooLarge = () => new AppError("too_large", `The body is larger than ${limit}; split the batch.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(parts));
}
