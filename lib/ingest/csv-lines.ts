// Line-based CSV for the ingest parsers: text arrives in pieces, rows are read as their line
// ends, and a quoted field may hold commas and quotes but not line breaks, so a bad quote
// costs its own row and not the rest of the file.
import { parse } from "csv-parse/sync";
import type { Field } from "./fields";
import { stripBom } from "./json-records";
import type { BatchParser, ParseResult } from "./types";

/**
 * Splits text given in pieces into lines, numbered from 1, without their line ending; `read`
 * sees every line, blank ones included. The last line is read by `end`, ended or not.
 */
export function createLineSplitter(read: (text: string, line: number) => void): { push(text: string): void; end(): void } {
  let started = false;
  let line = 0;
  // The line being read, in pieces: joined once it ends, so a long line costs no more than its length.
  let carry: string[] = [];
  const emit = (raw: string) => read(raw.endsWith("\r") ? raw.slice(0, -1) : raw, ++line);
  return {
    push(text) {
      if (!started) {
        started = true;
        text = stripBom(text);
      }
      if (!text.includes("\n")) {
        carry.push(text);
        return;
      }
      const pieces = text.split("\n");
      pieces[0] = carry.join("") + pieces[0];
      carry = [pieces.pop()!];
      for (const piece of pieces) emit(piece);
    },
    end() {
      const rest = carry.join("");
      carry = [];
      if (rest) emit(rest);
    },
  };
}

/**
 * A parser reading line by line: `read` adds what each line gives to the result of the piece
 * being pushed; `finish` runs when the text ends (to refuse one that held no header row).
 */
export function createLineParser<T>(read: (text: string, line: number, result: ParseResult<T>) => void, finish: () => void): BatchParser<T> {
  const empty = (): ParseResult<T> => ({ records: [], issues: [], errors: 0, total: 0, duplicates: 0 });
  let result = empty();
  const lines = createLineSplitter((text, line) => read(text, line, result));
  const take = () => {
    const taken = result;
    result = empty();
    return taken;
  };
  return {
    push(text) {
      lines.push(text);
      return take();
    },
    end() {
      lines.end();
      finish();
      return take();
    },
  };
}

/** A row's fields, trimmed. Most rows hold no quote at all, and splitting them needs no CSV reader. */
export function csvFields(line: string): Field<string[]> {
  if (!line.includes('"')) return { ok: true, value: line.split(",").map((field) => field.trim()) };
  try {
    const [fields] = parse(line, { trim: true, relax_column_count: true });
    return { ok: true, value: fields ?? [] };
  } catch (error) {
    // The reader counts lines within the one line it was given; the issue carries the real one.
    const detail = error instanceof Error ? ` (${error.message.replace(/ at line \d+/, "")})` : "";
    return { ok: false, reason: `not valid CSV${detail}` };
  }
}
