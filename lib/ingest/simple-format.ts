// The simple upload format, as NDJSON (one object per line) or CSV with a header row:
//   probe_id, lat, lon, answer, pop, rtt_ms, timestamp   (+ optional target, country)
// Either answer (the CHAOS TXT text, matched to a PoP by its identities) or pop (a PoP code) is
// required. lat and lon go together and may both be blank for a probe already known. timestamp
// is Unix seconds or ISO 8601 with a zone. target (alias prefix) names the prefix or service.
import { createLineParser, csvFields } from "./csv-lines";
import { countryCode, latitudeLongitude, optionalNumber, probeId, timestamp, type Field } from "./fields";
import { createJsonRecordReader, isObject, positionOf, type JsonRecord } from "./json-records";
import {
  IngestRefusedError,
  parseWhole,
  type BatchParser,
  type MeasurementSource,
  type ParsedMeasurement,
  type ParseIssue,
  type ParseResult,
  type RecordPosition,
} from "./types";

export type SimpleFormatOptions = { source?: MeasurementSource };

export function parseSimpleNdjson(text: string, options: SimpleFormatOptions = {}): ParseResult<ParsedMeasurement> {
  return parseWhole(createSimpleNdjsonParser(options), text);
}

export function createSimpleNdjsonParser(options: SimpleFormatOptions = {}): BatchParser<ParsedMeasurement> {
  const source = options.source ?? "upload";
  const reader = createJsonRecordReader("NDJSON measurements");
  const read = (input: JsonRecord[]): ParseResult<ParsedMeasurement> => {
    const records: ParsedMeasurement[] = [];
    const issues: ParseIssue[] = [];
    for (const item of input) {
      const position = positionOf(item);
      const parsed: Field<ParsedMeasurement> =
        "error" in item
          ? { ok: false, reason: item.error }
          : isObject(item.value)
            ? readSimpleRecord(item.value, source, position)
            : { ok: false, reason: "not a JSON object" };
      if (parsed.ok) records.push(parsed.value);
      else issues.push({ ...position, reason: parsed.reason });
    }
    return { records, issues, errors: 0, total: input.length };
  };
  return { push: (text) => read(reader.push(text)), end: () => read(reader.end()) };
}

export function parseSimpleCsv(text: string, options: SimpleFormatOptions = {}): ParseResult<ParsedMeasurement> {
  return parseWhole(createSimpleCsvParser(options), text);
}

/** One record per line (lib/ingest/csv-lines.ts); rows are read as their line ends. */
export function createSimpleCsvParser(options: SimpleFormatOptions = {}): BatchParser<ParsedMeasurement> {
  const source = options.source ?? "upload";
  let columns: string[] | null = null;
  let total = 0;

  const read = (text: string, line: number, result: ParseResult<ParsedMeasurement>) => {
    if (!text.trim()) return;
    if (!columns) {
      columns = headerOf(text);
      return;
    }
    total++;
    result.total++;
    const position = { index: total, line };
    const fields = csvFields(text);
    if (!fields.ok) {
      result.issues.push({ ...position, reason: fields.reason });
      return;
    }
    if (fields.value.length !== columns.length) {
      result.issues.push({ ...position, reason: `has ${fields.value.length} fields, the header has ${columns.length}` });
      return;
    }
    const names = columns;
    const parsed = readSimpleRecord(Object.fromEntries(names.map((name, k) => [name, fields.value[k]])), source, position);
    if (parsed.ok) result.records.push(parsed.value);
    else result.issues.push({ ...position, reason: parsed.reason });
  };
  return createLineParser(read, () => {
    if (!columns) throw new IngestRefusedError("empty", "The input is empty.");
  });
}

function headerOf(line: string): string[] {
  const header = csvFields(line);
  if (!header.ok) throw new IngestRefusedError("not_format", `Not CSV: the header row does not parse (${header.reason}).`);
  const columns = header.value.map((name) => name.toLowerCase());
  const missing = requiredColumnsMissing(columns);
  if (missing) throw new IngestRefusedError("not_format", `Not the CSV measurement format: the header row ${missing}.`);
  return columns;
}

function requiredColumnsMissing(columns: string[]): string | null {
  const lacking = ["probe_id", "timestamp"].filter((name) => !columns.includes(name));
  if (!columns.includes("answer") && !columns.includes("pop")) lacking.push("answer or pop");
  return lacking.length ? `lacks ${lacking.join(", ")}` : null;
}

function readSimpleRecord(fields: Record<string, unknown>, source: MeasurementSource, position: RecordPosition): Field<ParsedMeasurement> {
  const probe = probeId(fields.probe_id, "probe_id");
  if (!probe.ok) return probe;
  const answer = optionalText(fields.answer, "answer");
  if (!answer.ok) return answer;
  const pop = optionalText(fields.pop, "pop");
  if (!pop.ok) return pop;
  if (answer.value === null && pop.value === null) return { ok: false, reason: "neither answer nor pop is given" };
  const when = timestamp(fields.timestamp, "timestamp");
  if (!when.ok) return when;
  const rtt = optionalNumber(fields.rtt_ms, "rtt_ms");
  if (!rtt.ok) return rtt;
  if (rtt.value !== null && rtt.value < 0) return { ok: false, reason: `rtt_ms ${rtt.value} is negative` };
  const place = latitudeLongitude(fields.lat, fields.lon);
  if (!place.ok) return place;
  const country = countryCode(fields.country);
  if (!country.ok) return country;
  const target = optionalText(fields.target ?? fields.prefix, "target");
  if (!target.ok) return target;
  return {
    ok: true,
    value: {
      position,
      source,
      probeExternalId: probe.value,
      target: target.value ?? "",
      answer: answer.value,
      popCode: pop.value,
      rttMs: rtt.value,
      measuredAt: when.value,
      ...(place.value ? { probe: { ...place.value, ...(country.value ? { country: country.value } : {}) } } : {}),
    },
  };
}

function optionalText(value: unknown, name: string): Field<string | null> {
  if (value === undefined || value === null) return { ok: true, value: null };
  if (typeof value !== "string") return { ok: false, reason: `${name} is not text` };
  return { ok: true, value: value.trim() || null };
}
