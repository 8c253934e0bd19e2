import "server-only";
import { AppError } from "./errors";

function sizeName(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/**
 * The request body, refused with 413 past `maxBytes` whether or not the client sent a
 * Content-Length (a chunked upload is counted as it arrives, never buffered past the limit).
 * `hint` ends the message, e.g. "split the batch".
 */
export async function readBody(request: Request, maxBytes: number, hint?: string): Promise<Buffer> {
  const tooLarge = () => new AppError("too_large", `The body is larger than ${sizeName(maxBytes)}${hint ? `; ${hint}` : ""}.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
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
  return Buffer.concat(parts);
}

/** The body as UTF-8 text (invalid sequences replaced), with the same limit as readBody. */
export async function readBodyText(request: Request, maxBytes: number, hint = "split the batch"): Promise<string> {
  return new TextDecoder("utf-8", { fatal: false }).decode(await readBody(request, maxBytes, hint));
}
