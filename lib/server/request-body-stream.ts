import "server-only";
import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "./errors";

export type SpooledBody = {
  /** The body's bytes, piece by piece, read back from the file (gzip and Parquet are bytes, not text). */
  bytes: AsyncIterable<Uint8Array>;
  /** Deletes the file; call it once done, whatever happened. */
  discard: () => Promise<void>;
};

/**
 * Writes the request body to a private temporary file as it arrives, and hands it back piece
 * by piece, for a reader that parses while it reads without holding the body in memory.
 * Spooled rather than parsed straight off the socket: a reader slower than the upload would
 * hold the request open past Node's 300 s limit for receiving one (the client then gets 408).
 * Refused with 413 past `maxBytes`: at once when the client declares a larger Content-Length,
 * else when the count passes it; nothing more of it is read or kept.
 */
export async function spoolBody(request: Request, maxBytes: number): Promise<SpooledBody> {
  const limit = maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
  const tooLarge = () => new AppError("too_large", `The body is larger than ${limit}; split the batch.`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  const dir = await mkdtemp(path.join(os.tmpdir(), "catchment-ingest-"));
  const file = path.join(dir, "body");
  const discard = () => rm(dir, { recursive: true, force: true });
  const handle = await open(file, "w", 0o600);
  const reader = request.body?.getReader();
  try {
    let received = 0;
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      received += next.value.byteLength;
      if (received > maxBytes) throw tooLarge();
      await handle.write(next.value);
    }
  } catch (error) {
    await reader?.cancel().catch(() => {});
    await handle.close();
    await discard();
    throw error;
  }
  await handle.close();
  return { bytes: createReadStream(file, { highWaterMark: 64 * 1024 }), discard };
}
