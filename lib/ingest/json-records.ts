// Splits a JSON array, a single JSON object or NDJSON text into records, each with its position,
// so one broken line is reported by number and the rest of the batch is kept. The text may come
// in pieces (a request body as it arrives): records are handed out as soon as they are whole,
// and only the record being read is held.
import { IngestRefusedError } from "./types";

export type JsonRecord = { index: number; line?: number } & ({ value: unknown } | { error: string });

/** Hands out what is whole of the text pushed so far; `end` takes the rest and checks the whole. */
export type RecordReader<T> = { push(text: string): T[]; end(): T[] };

/**
 * How deep a record may nest. No format needs more than a handful of levels; a record nested
 * thousands deep is refused on its own, before it is parsed (code quoting it would overflow the stack).
 */
export const MAX_NESTING = 32;

const TOO_DEEP = `nested deeper than ${MAX_NESTING} levels`;

/** Strips a byte-order mark, which some exporters put before the first `[` or `{`. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `what` names the expected content for refusal messages, e.g. "RIPE Atlas DNS results".
 * - Text starting with `[` is one JSON array, read element by element as it arrives. Anything
 *   that breaks the array (an element that does not parse, a missing `]`, text after it)
 *   refuses the batch: it is a damaged file, not a bad record.
 * - Text starting with `{` whose first line is a JSON value on its own is NDJSON, one record per
 *   non-blank line; a line that does not parse is an issue of its own. Otherwise it is one JSON
 *   document over several lines (a pretty-printed object, or the probe archive's wrapper), read
 *   whole, or, when it does not parse either, lines again (each an issue).
 * Refuses (throws IngestRefusedError) an empty text, text that does not start like JSON, and
 * lines none of which is JSON.
 */
export function createJsonRecordReader(what: string): RecordReader<JsonRecord> {
  let mode: Mode | null = null;
  let skipped = "";
  let started = false;

  const choose = (text: string): JsonRecord[] => {
    if (!started) {
      started = true;
      text = stripBom(text);
    }
    skipped += text;
    const at = skipped.search(/\S/);
    if (at < 0) return [];
    const lineOffset = (skipped.slice(0, at).match(/\n/g) ?? []).length;
    const first = skipped[at];
    if (first !== "[" && first !== "{") {
      throw new IngestRefusedError("not_format", `Not ${what}: expected a JSON array or one JSON object per line.`);
    }
    const rest = skipped.slice(at);
    skipped = "";
    mode = first === "[" ? arrayMode(what, lineOffset) : objectMode(what, lineOffset);
    return mode.push(rest);
  };

  return {
    push: (text) => (mode ? mode.push(text) : choose(text)),
    end: () => {
      if (!mode) throw new IngestRefusedError("empty", "The input is empty.");
      return mode.end();
    },
  };
}

type Mode = RecordReader<JsonRecord>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
/** How much of a first line that is a whole JSON array is kept to tell NDJSON from one array. */
const FIRST_LINE_KEPT = 64 * 1024;

const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/**
 * The elements of one JSON array, each parsed when its closing comma or bracket arrives. An
 * array that ends on the first line with more lines after it is NDJSON whose first record
 * happens to be an array: the first line (up to FIRST_LINE_KEPT) is kept until that is known.
 */
function arrayMode(what: string, lineOffset: number): Mode {
  const broken = (reason: string) => new IngestRefusedError("not_format", `Not ${what}: the JSON array does not parse (${reason}).`);
  // Depth 1 is inside the array; an element's own nesting is depth - 1.
  let depth = 0;
  let inString = false;
  let escaped = false;
  let closed = false;
  let parts: string[] = [];
  let hasContent = false;
  let tooDeep = false;
  let index = 0;
  // While the text may still turn out to be NDJSON: what was pushed, and the records held back.
  let firstLine: { text: string[]; size: number; records: JsonRecord[] } | null = { text: [], size: 0, records: [] };
  let sawNewline = false;
  let closedOnFirstLine = false;
  let lines: Mode | null = null;

  const finish = (last: boolean): JsonRecord[] => {
    const text = parts.join("");
    parts = [];
    const empty = !hasContent;
    const deep = tooDeep;
    hasContent = false;
    tooDeep = false;
    if (empty) {
      if (last && index === 0) return [];
      throw broken(`record ${index + 1} is empty`);
    }
    index++;
    if (deep) return [{ index, error: TOO_DEEP }];
    try {
      return [{ index, value: JSON.parse(text) }];
    } catch (error) {
      throw broken(`record ${index}: ${jsonMessage(error)}`);
    }
  };

  const scan = (text: string): JsonRecord[] | "lines" => {
    const records: JsonRecord[] = [];
    let from = 0;
    const keep = (to: number) => {
      if (!tooDeep && to > from) parts.push(text.slice(from, to));
    };
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === NEWLINE) sawNewline = true;
      if (closed) {
        if (isSpace(code)) continue;
        if (closedOnFirstLine && firstLine) return "lines";
        throw broken("text follows its closing ]");
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (code === BACKSLASH) escaped = true;
        else if (code === QUOTE) inString = false;
        continue;
      }
      if (depth === 0) {
        // Only the opening bracket comes before the elements.
        if (code === OPEN_ARRAY) {
          depth = 1;
          from = i + 1;
        }
        continue;
      }
      if (code === QUOTE) {
        inString = true;
        hasContent = true;
      } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
        depth++;
        hasContent = true;
        if (depth - 1 > MAX_NESTING && !tooDeep) {
          tooDeep = true;
          parts = [];
        }
      } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
        depth--;
        if (depth === 0) {
          if (code !== CLOSE_ARRAY) throw broken("a } closes the array");
          keep(i);
          records.push(...finish(true));
          closed = true;
          closedOnFirstLine = !sawNewline;
        }
      } else if (code === COMMA && depth === 1) {
        keep(i);
        records.push(...finish(false));
        from = i + 1;
      } else if (!isSpace(code)) {
        hasContent = true;
      }
    }
    if (!closed && depth > 0) keep(text.length);
    return records;
  };

  return {
    push(text) {
      if (lines) return lines.push(text);
      if (firstLine) {
        firstLine.text.push(text);
        firstLine.size += text.length;
      }
      const records = scan(text);
      if (records === "lines") {
        lines = linesMode(what, lineOffset);
        return lines.push(firstLine!.text.join(""));
      }
      if (!firstLine) return records;
      firstLine.records.push(...records);
      if ((sawNewline && !closedOnFirstLine) || firstLine.size > FIRST_LINE_KEPT) {
        const held = firstLine.records;
        firstLine = null;
        return held;
      }
      return [];
    },
    end() {
      if (lines) return lines.end();
      if (!closed) throw broken("it ends before its closing ]");
      const held = firstLine?.records ?? [];
      firstLine = null;
      return held;
    },
  };
}

/** NDJSON, or one JSON document: which, the first line tells (see createJsonRecordReader). */
function objectMode(what: string, lineOffset: number): Mode {
  let firstLine: string[] | null = [];
  let document: string[] | null = null;
  let lines: Mode | null = null;

  return {
    push(text) {
      if (lines) return lines.push(text);
      if (document) {
        document.push(text);
        return [];
      }
      const newline = text.indexOf("\n");
      if (newline < 0) {
        firstLine!.push(text);
        return [];
      }
      const line = firstLine!.join("") + text.slice(0, newline);
      firstLine = null;
      const parsed = parseValue(line);
      if (parsed.ok || "deep" in parsed) {
        lines = linesMode(what, lineOffset);
        return lines.push(line + text.slice(newline));
      }
      document = [line, text.slice(newline)];
      return [];
    },
    end() {
      if (lines) return lines.end();
      const body = (document ?? firstLine!).join("");
      const whole = parseValue(body);
      if (whole.ok) return [{ index: 1, value: whole.value }];
      const fallback = linesMode(what, lineOffset);
      return [...fallback.push(body), ...fallback.end()];
    },
  };
}

/**
 * One record per non-blank line. Line numbers count every line of the file, blank ones
 * included, as an editor does. A text with one record only is one JSON document: its record
 * carries no line.
 */
function linesMode(what: string, lineOffset: number): Mode {
  // The line being read, in pieces: joined once it ends, so a long line costs no more than its length.
  let carry: string[] = [];
  let line = lineOffset;
  let index = 0;
  let parsed = 0;
  let first: JsonRecord | null = null;

  const read = (raw: string): JsonRecord[] => {
    line++;
    const text = raw.trim();
    if (!text) return [];
    index++;
    const result = parseValue(text);
    const position = { index, line };
    // A record nested too deep is JSON all the same: an issue of its own, not a sign of another format.
    if (result.ok || "deep" in result) parsed++;
    const record: JsonRecord = result.ok ? { ...position, value: result.value } : { ...position, error: "deep" in result ? TOO_DEEP : `not valid JSON (${result.message})` };
    // The first record waits for a second one: alone, it is a whole document.
    if (index === 1) {
      first = record;
      return [];
    }
    const out = first ? [first, record] : [record];
    first = null;
    return out;
  };

  return {
    push(text) {
      if (!text.includes("\n")) {
        carry.push(text);
        return [];
      }
      const pieces = text.split("\n");
      pieces[0] = carry.join("") + pieces[0];
      carry = [pieces.pop()!];
      return pieces.flatMap(read);
    },
    end() {
      const rest = carry.join("");
      carry = [];
      const out = rest ? read(rest) : [];
      if (parsed === 0) throw new IngestRefusedError("not_format", `Not ${what}: no line is a JSON object.`);
      if (first && index === 1 && "value" in first) return [{ index: 1, value: first.value }];
      return first ? [first, ...out] : out;
    },
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string } | { ok: false; deep: true };

function parseValue(text: string): Parsed {
  if (nestingDepth(text) > MAX_NESTING) return { ok: false, deep: true };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: jsonMessage(error) };
  }
}

/** How deep the brackets of a JSON text nest, counted until it passes MAX_NESTING. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > MAX_NESTING) return deepest;
      }
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      depth--;
    }
  }
  return deepest;
}

function jsonMessage(error: unknown): string {
  return error instanceof SyntaxError ? error.message : "unreadable";
}

/**
 * For files whose records may come inside one wrapper object (the probe archive's
 * `{ "objects": [...] }`): hands out the wrapper's elements, numbered from 1, in its place.
 * Only a first record can be a wrapper; `elementsOf` gives its elements, or undefined for a
 * record that is no wrapper.
 */
export function createUnwrapper(elementsOf: (value: Record<string, unknown>) => unknown[] | undefined): (input: JsonRecord[]) => JsonRecord[] {
  let seen = 0;
  return (input) => {
    const first = seen === 0 ? input[0] : undefined;
    seen += input.length;
    const elements = first && "value" in first && isObject(first.value) ? elementsOf(first.value) : undefined;
    if (!elements) return input;
    return [...elements.map((value, i) => ({ index: i + 1, value })), ...input.slice(1)];
  };
}

/** Where a record was, for its issue: `line` only when the input was read line by line. */
export function positionOf(record: JsonRecord): { index: number; line?: number } {
  return record.line === undefined ? { index: record.index } : { index: record.index, line: record.line };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
