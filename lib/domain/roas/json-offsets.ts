// Where each element of a JSON array starts in the text, so a bad record can be named by its
// line. JSON.parse gives values but no positions; this scanner walks the text once (strings
// and escapes respected) and records the offsets of the elements of one array.

/**
 * Offsets of the elements of the top-level array (`key` undefined) or of the array under the
 * top-level object's `key`. Empty when the text is not shaped that way.
 */
export function arrayElementOffsets(text: string, key?: string): number[] {
  const offsets: number[] = [];
  // A stack of containers: "{" or "[", and for arrays whether it is the one we want.
  const stack: { kind: "{" | "["; target: boolean; expectValue: boolean }[] = [];
  let lastStringStart = -1;
  let lastStringEnd = -1;
  let pendingKey: string | null = null;
  // Char codes, not regexes: a full validator export is tens of megabytes.
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 /* \ */ ? 2 : 1;
      lastStringStart = i + 1;
      lastStringEnd = j;
      markValue(i);
      i = j;
      continue;
    }
    if (code === 58 /* : */) {
      pendingKey = stack.length === 1 ? text.slice(lastStringStart, lastStringEnd) : null;
      continue;
    }
    if (code === 123 /* { */ || code === 91 /* [ */) {
      markValue(i);
      const parent = stack.at(-1);
      const kind = code === 91 ? "[" : "{";
      const target = kind === "[" && (key === undefined ? stack.length === 0 : stack.length === 1 && parent?.kind === "{" && pendingKey === key);
      stack.push({ kind, target, expectValue: true });
      pendingKey = null;
      continue;
    }
    if (code === 125 /* } */ || code === 93 /* ] */) {
      stack.pop();
      continue;
    }
    if (code === 44 /* , */) {
      const top = stack.at(-1);
      if (top) top.expectValue = true;
      pendingKey = null;
      continue;
    }
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) markValue(i);
  }
  return offsets;

  function markValue(at: number) {
    const top = stack.at(-1);
    if (top?.kind === "[" && top.expectValue) {
      if (top.target) offsets.push(at);
      top.expectValue = false;
    }
  }
}

/** 1-based line of an offset in the text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Lines of many offsets at once (ascending or not), in one pass over the text. */
export function linesAt(text: string, offsets: readonly number[]): number[] {
  const order = offsets.map((offset, index) => ({ offset, index })).sort((a, b) => a.offset - b.offset);
  const lines = new Array<number>(offsets.length);
  let line = 1;
  let position = 0;
  for (const { offset, index } of order) {
    for (; position < offset && position < text.length; position++) if (text.charCodeAt(position) === 10) line++;
    lines[index] = line;
  }
  return lines;
}

/** The line of a JSON.parse syntax error, from the position V8 names in its message. */
export function jsonSyntaxErrorLine(text: string, error: unknown): number | null {
  const message = error instanceof Error ? error.message : "";
  const lineMatch = /line (\d+)/.exec(message);
  if (lineMatch) return Number(lineMatch[1]);
  const position = /position (\d+)/.exec(message);
  return position ? lineAt(text, Number(position[1])) : null;
}
