// What an input's bytes are, before any format: gzip (magic bytes 1f 8b, whatever the file is
// called), Parquet (magic "PAR1"), or text. Gzip is undone as the bytes arrive.
import { createGunzip } from "node:zlib";
import { PARQUET_MAGIC } from "./catchment-parquet";
import { IngestRefusedError } from "./types";

export type DecodedInput = { kind: "parquet"; file: ArrayBuffer } | { kind: "text"; gzip: boolean; pieces: AsyncIterable<string> };

export type DecodeOptions = {
  /**
   * Refuse (IngestRefusedError "too_large") text that decompresses to more than this: a body
   * bounded in bytes must not become an unbounded one (a few KB of gzip can hold gigabytes).
   */
  maxDecodedBytes?: number;
};

export async function decodeInput(bytes: AsyncIterable<Uint8Array>, options: DecodeOptions = {}): Promise<DecodedInput> {
  const source = bytes[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headSize = 0;
  let done = false;
  while (!done && headSize < 4) {
    const next = await source.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      headSize += next.value.byteLength;
    }
  }
  const start = Buffer.concat(head);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield start;
    if (!done) yield* { [Symbol.asyncIterator]: () => source };
  }

  if (start.subarray(0, 4).toString("latin1") === PARQUET_MAGIC) {
    // Parquet is read from its footer: the whole file is needed (bounded by the caller's body limit).
    const parts: Uint8Array[] = [];
    for await (const part of all()) parts.push(part);
    const whole = Buffer.concat(parts);
    return { kind: "parquet", file: whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer };
  }
  const gzip = start[0] === 0x1f && start[1] === 0x8b;
  return { kind: "text", gzip, pieces: gzip ? gunzipped(all(), options.maxDecodedBytes) : decoded(all()) };
}

async function* decoded(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const part of bytes) {
    const text = decoder.decode(part, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

async function* gunzipped(bytes: AsyncIterable<Uint8Array>, maxBytes = Infinity): AsyncGenerator<string> {
  const gunzip = createGunzip();
  // Concatenated gzip members (pigz, `cat a.gz b.gz`) are read as one stream by zlib.
  const feed = (async () => {
    try {
      for await (const part of bytes) {
        if (gunzip.destroyed) break;
        if (!gunzip.write(part)) await drainedOrClosed(gunzip);
      }
      if (!gunzip.destroyed) gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  let size = 0;
  try {
    yield* decoded(
      (async function* () {
        try {
          for await (const part of gunzip as AsyncIterable<Buffer>) {
            size += part.byteLength;
            if (size > maxBytes) {
              throw new IngestRefusedError("too_large", `The input decompresses to more than ${Math.round(maxBytes / 1024 / 1024)} MiB; split the batch.`);
            }
            yield part;
          }
        } catch (error) {
          if (error instanceof IngestRefusedError) throw error;
          throw new IngestRefusedError("not_format", `The gzip input is damaged (${(error as Error).message}).`);
        }
      })(),
    );
  } finally {
    gunzip.destroy();
    await feed;
  }
}

/** Resolves when the stream takes more, or is gone (the reader stopped early). */
function drainedOrClosed(stream: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
  });
}
