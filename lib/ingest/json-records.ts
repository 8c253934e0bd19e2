// Splits a JSON array, a single JSON object or NDJSON text into records, each with its position,
// so one broken line is reported by number and the rest of the batch is kept.
import { IngestRefusedError } from "./types";

export type JsonRecord = { index: number; line?: number } & ({ value: unknown } | { error: string });

/** Strips a byte-order mark, which some exporters put before the first `[` or `{`. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `what` names the expected content for the refusal message, e.g. "RIPE Atlas DNS results".
 * A whole JSON document is an array of records or one record; anything else is read line by
 * line. Refuses (throws IngestRefusedError) an empty text, text that does not start like JSON,
 * a broken JSON array, and lines none of which is JSON.
 */
export function readJsonRecords(text: string, what: string): JsonRecord[] {
  const body = stripBom(text).trim();
  if (!body) throw new IngestRefusedError("empty", "The input is empty.");
  const first = body[0];
  if (first !== "[" && first !== "{") {
    throw new IngestRefusedError("not_format", `Not ${what}: expected a JSON array or one JSON object per line.`);
  }
  const whole = tryParse(body);
  if (whole.ok) {
    return Array.isArray(whole.value) ? whole.value.map((value, i) => ({ index: i + 1, value })) : [{ index: 1, value: whole.value }];
  }
  // A broken array (a cut-off download) is refused as such, unless its first line stands on
  // its own: then it is NDJSON whose first record happens to be an array.
  if (first === "[" && !tryParse(body.split(/\r?\n/, 1)[0]!).ok) {
    throw new IngestRefusedError("not_format", `Not ${what}: the JSON array does not parse (${whole.message}).`);
  }
  return readLines(stripBom(text), what);
}

/** Line numbers count every line of the file, blank ones included, as an editor does. */
function readLines(body: string, what: string): JsonRecord[] {
  const records: JsonRecord[] = [];
  let parsed = 0;
  body.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (!text) return;
    const result = tryParse(text);
    const position = { index: records.length + 1, line: i + 1 };
    if (result.ok) {
      parsed++;
      records.push({ ...position, value: result.value });
    } else {
      records.push({ ...position, error: `not valid JSON (${result.message})` });
    }
  });
  if (parsed === 0) {
    throw new IngestRefusedError("not_format", `Not ${what}: no line is a JSON object.`);
  }
  return records;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: jsonMessage(error) };
  }
}

function jsonMessage(error: unknown): string {
  return error instanceof SyntaxError ? error.message : "unreadable";
}

/** Where a record was, for its issue: `line` only when the input was read line by line. */
export function positionOf(record: JsonRecord): { index: number; line?: number } {
  return record.line === undefined ? { index: record.index } : { index: record.index, line: record.line };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
