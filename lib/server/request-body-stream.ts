import "server-only";
import { AppError } from "./errors";

/**
 * The request body as text, piece by piece as it arrives (UTF-8 decoded across piece
 * boundaries), for a reader that parses while it reads. Refused with 413 past `maxBytes`: at
 * once when the client declares a larger Content-Length, else when the count passes it; the
 * rest of the body is then not read.
 */
export async function* bodyTextPieces(request: Request, maxBytes: number): AsyncGenerator<string> {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
  const tooLarge = () => new AppError("too_large", `The body is larger than ${limit}; split the batch.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return;
  const reader = request.body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) throw tooLarge();
      const text = decoder.decode(value, { stream: true });
      if (text) yield text;
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    // Stopped early (too large, or the batch was refused): the rest of the body is not wanted.
    await reader.cancel().catch(() => {});
  }
}
