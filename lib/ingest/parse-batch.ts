// One entry point for every way in (CLI, API): detect or take the format, parse, refuse a batch
// with nothing usable in it. Pure: storing the records is the caller's business.
import { parseAtlasProbes } from "./atlas-probes";
import { parseAtlasResults } from "./atlas-results";
import { detectFormat } from "./detect-format";
import { parseSimpleCsv, parseSimpleNdjson, type SimpleFormatOptions } from "./simple-format";
import {
  IngestRefusedError,
  type IngestFormat,
  type ParsedMeasurement,
  type ParsedProbe,
  type ParseResult,
} from "./types";

export type ParsedBatch =
  | { kind: "measurements"; format: Exclude<IngestFormat, "atlas-probes">; result: ParseResult<ParsedMeasurement> }
  | { kind: "probes"; format: "atlas-probes"; result: ParseResult<ParsedProbe> };

/**
 * Throws IngestRefusedError when the input is empty, is not the format, or has no usable record
 * (every record malformed or an error result): such a batch must not be stored at all.
 */
export function parseBatch(text: string, format?: IngestFormat, options: SimpleFormatOptions = {}): ParsedBatch {
  const chosen = format ?? detectFormat(text);
  const batch: ParsedBatch =
    chosen === "atlas-probes"
      ? { kind: "probes", format: chosen, result: parseAtlasProbes(text) }
      : { kind: "measurements", format: chosen, result: parseMeasurements(text, chosen, options) };
  const { records, issues, total } = batch.result;
  if (records.length === 0) {
    const firstReason = issues[0] ? `; record ${issues[0].index}: ${issues[0].reason}` : "";
    const message = total === 0 ? "The batch holds no records." : `None of the ${total} records can be stored${firstReason}.`;
    throw new IngestRefusedError(total === 0 ? "empty" : "all_bad", message, issues);
  }
  return batch;
}

function parseMeasurements(text: string, format: "atlas" | "ndjson" | "csv", options: SimpleFormatOptions) {
  if (format === "atlas") return parseAtlasResults(text);
  return format === "ndjson" ? parseSimpleNdjson(text, options) : parseSimpleCsv(text, options);
}
