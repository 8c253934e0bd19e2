// One entry point for every way in (CLI, API): detect or take the format, parse, refuse a batch
// with nothing usable in it. Pure: storing the records is the caller's business.
// `parseBatch` reads a whole text; `streamBatch` reads text as it arrives (a request body) and
// hands out the records in bounded chunks, so a large batch is never held whole.
import { createAtlasProbesParser } from "./atlas-probes";
import { createCatchmentCsvParser, type CatchmentFileOptions } from "./catchment-file";
import { readManycastrParquet } from "./catchment-parquet";
import { decodeInput, type DecodeOptions } from "./input-bytes";
import { createAtlasResultsParser } from "./atlas-results";
import { detectFormat, SNIFF_CHARACTERS } from "./detect-format";
import { createSimpleCsvParser, createSimpleNdjsonParser } from "./simple-format";
import {
  IngestRefusedError,
  parseWhole,
  type BatchParser,
  type IngestFormat,
  type ParsedMeasurement,
  type ParsedProbe,
  type ParseIssue,
  type ParseResult,
} from "./types";

export type ParsedBatch =
  | { kind: "measurements"; format: Exclude<IngestFormat, "atlas-probes">; result: ParseResult<ParsedMeasurement> }
  | { kind: "probes"; format: "atlas-probes"; result: ParseResult<ParsedProbe> };

/** A batch read as it arrives: `chunks` yields its records and issues, a bounded number at a time. */
export type StreamedBatch =
  | { kind: "measurements"; format: Exclude<IngestFormat, "atlas-probes">; chunks: AsyncIterable<ParseResult<ParsedMeasurement>> }
  | { kind: "probes"; format: "atlas-probes"; chunks: AsyncIterable<ParseResult<ParsedProbe>> };

/**
 * Records (and issues) per chunk of a streamed batch: about 10 MB of parsed records, and as many
 * rows per INSERT as a whole batch is written with (BULK_CHUNK): each statement runs the
 * measurement table's statement trigger once, so smaller chunks would cost more of it.
 */
export const CHUNK_RECORDS = 20_000;

/** What the parsers take: the source to file records under; for catchment files, the scan's time and a geolocation. */
export type ParseOptions = CatchmentFileOptions;

/** Catchment files (lib/ingest/catchment-file.ts) are stored by the bulk path. */
export function isCatchmentFormat(format: IngestFormat): format is "verfploeter" | "manycastr" {
  return format === "verfploeter" || format === "manycastr";
}

/**
 * An input as bytes (a file, a request body): gzip is undone and Parquet read whatever the
 * name says, then the text goes through streamBatch. Parquet is always MAnycastR's.
 */
export async function streamInput(bytes: AsyncIterable<Uint8Array>, format?: IngestFormat, options: ParseOptions & DecodeOptions = {}): Promise<StreamedBatch> {
  const input = await decodeInput(bytes, options);
  if (input.kind === "text") return streamBatch(input.pieces, format, options);
  if (format !== undefined && format !== "manycastr") {
    throw new IngestRefusedError("not_format", `A Parquet file is read as MAnycastR output, not as ${format}.`);
  }
  return { kind: "measurements", format: "manycastr", chunks: readManycastrParquet(input.file, options, CHUNK_RECORDS) };
}

/**
 * Throws IngestRefusedError when the input is empty, is not the format, or has no usable record
 * (every record malformed or an error result): such a batch must not be stored at all.
 */
export function parseBatch(text: string, format?: IngestFormat, options: ParseOptions = {}): ParsedBatch {
  const chosen = format ?? detectFormat(text);
  const batch: ParsedBatch =
    chosen === "atlas-probes"
      ? { kind: "probes", format: chosen, result: parseWhole(createAtlasProbesParser(), text) }
      : { kind: "measurements", format: chosen, result: parseWhole(measurementParser(chosen, options), text) };
  const { records, issues, total } = batch.result;
  if (records.length === 0) throw nothingUsable(total, issues, issues.length);
  return batch;
}

/** A streamed batch read whole (a dry run): refused like parseBatch when nothing in it is usable. */
export async function collectBatch(streamed: StreamedBatch): Promise<ParsedBatch> {
  const whole = async <T>(chunks: AsyncIterable<ParseResult<T>>): Promise<ParseResult<T>> => {
    const result = emptyResult<T>();
    for await (const chunk of chunks) addResult(result, chunk);
    return result;
  };
  const batch: ParsedBatch =
    streamed.kind === "probes"
      ? { kind: "probes", format: streamed.format, result: await whole(streamed.chunks) }
      : { kind: "measurements", format: streamed.format, result: await whole(streamed.chunks) };
  const { records, issues, total } = batch.result;
  if (records.length === 0) throw nothingUsable(total, issues, issues.length);
  return batch;
}

/** The refusal of a batch none of whose `total` records can be used; `issues` are the first ones. */
export function nothingUsable(total: number, issues: readonly ParseIssue[], issueCount: number): IngestRefusedError {
  if (total === 0) return new IngestRefusedError("empty", "The batch holds no records.");
  const firstReason = issues[0] ? `; record ${issues[0].index}: ${issues[0].reason}` : "";
  return new IngestRefusedError("all_bad", `None of the ${total} records can be stored${firstReason}.`, [...issues], issueCount);
}

/**
 * Reads the format from the first SNIFF_CHARACTERS when not given, then parses the rest as it
 * arrives. Refusals that only the whole input can show (no record at all, a JSON array that never
 * closes) are thrown by `chunks` at the end; a batch with no usable record is the storer's to refuse.
 */
export async function streamBatch(input: AsyncIterable<string>, format?: IngestFormat, options: ParseOptions = {}): Promise<StreamedBatch> {
  const pieces = input[Symbol.asyncIterator]();
  const head: string[] = [];
  let headSize = 0;
  let done = false;
  while (!done && headSize < SNIFF_CHARACTERS) {
    const next = await pieces.next();
    if (next.done) done = true;
    else {
      head.push(next.value);
      headSize += next.value.length;
    }
  }
  let chosen: IngestFormat;
  try {
    chosen = format ?? detectFormat(head.join(""));
  } catch (error) {
    // The rest of the input is not wanted: let its source stop (a request body stops reading).
    await pieces.return?.();
    throw error;
  }
  async function* rest() {
    yield* head;
    if (!done) yield* { [Symbol.asyncIterator]: () => pieces };
  }
  return chosen === "atlas-probes"
    ? { kind: "probes", format: chosen, chunks: inChunks(createAtlasProbesParser(), rest()) }
    : { kind: "measurements", format: chosen, chunks: inChunks(measurementParser(chosen, options), rest()) };
}

async function* inChunks<T>(parser: BatchParser<T>, input: AsyncIterable<string>): AsyncGenerator<ParseResult<T>> {
  let chunk = emptyResult<T>();
  for await (const text of input) {
    addResult(chunk, parser.push(text));
    if (chunk.records.length + chunk.issues.length >= CHUNK_RECORDS) {
      yield chunk;
      chunk = emptyResult<T>();
    }
  }
  addResult(chunk, parser.end());
  yield chunk;
}

const emptyResult = <T>(): ParseResult<T> => ({ records: [], issues: [], errors: 0, total: 0, duplicates: 0 });

function addResult<T>(into: ParseResult<T>, result: ParseResult<T>) {
  // One by one: a call with a hundred thousand arguments overflows the stack.
  for (const record of result.records) into.records.push(record);
  for (const issue of result.issues) into.issues.push(issue);
  into.errors += result.errors;
  into.total += result.total;
  into.duplicates = (into.duplicates ?? 0) + (result.duplicates ?? 0);
}

function measurementParser(format: Exclude<IngestFormat, "atlas-probes">, options: ParseOptions): BatchParser<ParsedMeasurement> {
  if (format === "atlas") return createAtlasResultsParser();
  if (format === "verfploeter" || format === "manycastr") return createCatchmentCsvParser(format, options);
  return format === "ndjson" ? createSimpleNdjsonParser(options) : createSimpleCsvParser(options);
}
