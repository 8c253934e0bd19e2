// What a batch would store, as plain JSON (the CLI's --json, the API's response) and as text.
import { createPopMatcher, type PopIdentities } from "./identities";
import { measurementKey, type ParsedMeasurement, type ParsedProbe, type ParseIssue, type ParseResult } from "./types";

export const LISTED_ISSUES = 50;

export type MeasurementSummary = {
  kind: "measurements";
  /** Records in the input. */
  total: number;
  /** Measurements read (a resultset gives one per resolver). */
  parsed: number;
  /** Distinct measurements: what would be stored. */
  stored: number;
  /** Measurements repeated within the batch (same source, probe, target and time). */
  duplicates: number;
  /** Atlas results that reported an error; they are also among the issues. */
  errors: number;
  issueCount: number;
  /** The first 50 issues, in input order. */
  issues: ParseIssue[];
  /** Whether answers were matched against PoP identities; without them every answer is unmatched. */
  popsGiven: boolean;
  /** Measurements per PoP code: named by the record, or matched by its answer. */
  perPop: Record<string, number>;
  /** Answers that matched no PoP, by text, most frequent first. */
  unmatched: { answer: string; count: number }[];
  /** Answers that matched more than one PoP equally well. */
  ambiguous: { answer: string; pops: string[]; count: number }[];
  /** PoP codes named by records that are not among the PoPs given. */
  unknownPops: { code: string; count: number }[];
  dateRange: { from: string; to: string } | null;
};

export type ProbeSummary = {
  kind: "probes";
  total: number;
  parsed: number;
  stored: number;
  duplicates: number;
  issueCount: number;
  issues: ParseIssue[];
  /** Probes per country code; "??" for probes without one. */
  perCountry: Record<string, number>;
};

export type IngestSummary = MeasurementSummary | ProbeSummary;

export function summarise(result: ParseResult<ParsedMeasurement>, pops?: readonly PopIdentities[]): MeasurementSummary {
  const distinct = new Map<string, ParsedMeasurement>();
  for (const record of result.records) distinct.set(measurementKey(record), record);
  const tally = createMeasurementTally(pops);
  for (const record of distinct.values()) tally.add(record);
  return {
    kind: "measurements",
    total: result.total,
    parsed: result.records.length,
    stored: distinct.size,
    duplicates: result.records.length - distinct.size + (result.duplicates ?? 0),
    errors: result.errors,
    issueCount: result.issues.length,
    issues: result.issues.slice(0, LISTED_ISSUES),
    ...tally.result(),
  };
}

export type MeasurementTally = Pick<MeasurementSummary, "popsGiven" | "perPop" | "unmatched" | "ambiguous" | "unknownPops" | "dateRange">;

/** Counts distinct measurements one at a time (a streamed batch is never held whole). */
export function createMeasurementTally(pops?: readonly PopIdentities[]): { add(record: ParsedMeasurement): void; result(): MeasurementTally } {
  const match = pops ? createPopMatcher(pops) : null;
  const knownCodes = new Set(pops?.map((pop) => pop.code));
  const perPop = new Map<string, number>();
  const unmatched = new Map<string, number>();
  const ambiguous = new Map<string, { pops: string[]; count: number }>();
  const unknownPops = new Map<string, number>();
  let first: Date | null = null;
  let last: Date | null = null;

  const add = (record: ParsedMeasurement) => {
    if (!first || record.measuredAt < first) first = record.measuredAt;
    if (!last || record.measuredAt > last) last = record.measuredAt;
    if (record.popCode !== null) {
      if (pops && !knownCodes.has(record.popCode)) increment(unknownPops, record.popCode);
      else increment(perPop, record.popCode);
      return;
    }
    const answer = record.answer ?? "";
    const found = match?.(answer) ?? { status: "unmatched" as const };
    if (found.status === "matched") increment(perPop, found.code);
    else if (found.status === "unmatched") increment(unmatched, answer);
    else ambiguous.set(answer, { pops: found.codes, count: (ambiguous.get(answer)?.count ?? 0) + 1 });
  };

  const result = (): MeasurementTally => ({
    popsGiven: pops !== undefined,
    perPop: Object.fromEntries([...perPop].sort(([a], [b]) => a.localeCompare(b))),
    unmatched: byCount(unmatched).map(([answer, count]) => ({ answer, count })),
    ambiguous: [...ambiguous]
      .sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b))
      .map(([answer, { pops: codes, count }]) => ({ answer, pops: codes, count })),
    unknownPops: byCount(unknownPops).map(([code, count]) => ({ code, count })),
    dateRange: first && last ? { from: first.toISOString(), to: last.toISOString() } : null,
  });

  return { add, result };
}

export function summariseProbes(result: ParseResult<ParsedProbe>): ProbeSummary {
  const distinct = new Map<string, ParsedProbe>();
  for (const probe of result.records) distinct.set(probe.externalId, probe);
  const perCountry = new Map<string, number>();
  for (const probe of distinct.values()) increment(perCountry, probe.country ?? "??");
  return {
    kind: "probes",
    total: result.total,
    parsed: result.records.length,
    stored: distinct.size,
    duplicates: result.records.length - distinct.size,
    issueCount: result.issues.length,
    issues: result.issues.slice(0, LISTED_ISSUES),
    perCountry: Object.fromEntries([...perCountry].sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The summary for a person: what would be stored, then what needs fixing. */
export function renderSummaryText(summary: IngestSummary): string {
  const lines: string[] = [];
  const noun = summary.kind === "probes" ? "probes" : "measurements";
  lines.push(
    `${summary.total} records read: ${summary.parsed} ${noun}, ${summary.stored} to store` +
      (summary.duplicates ? ` (${summary.duplicates} repeated in the batch)` : ""),
  );
  if (summary.kind === "probes") {
    lines.push("", "Probes per country:", ...table(Object.entries(summary.perCountry)));
  } else {
    if (summary.dateRange) lines.push(`Measured from ${summary.dateRange.from} to ${summary.dateRange.to}`);
    if (summary.errors) lines.push(`Errors reported by probes: ${summary.errors} (listed among the issues)`);
    const popEntries = Object.entries(summary.perPop);
    if (popEntries.length) lines.push("", "Per PoP:", ...table(popEntries));
    if (summary.unmatched.length) {
      const heading = summary.popsGiven ? "Answers matching no PoP:" : "Answers (no --pops given, so not matched to PoPs):";
      lines.push("", heading, ...summary.unmatched.map(({ answer, count }) => `  ${pad(count)}  ${answer}`));
    }
    if (summary.ambiguous.length) {
      lines.push(
        "",
        "Answers matching more than one PoP:",
        ...summary.ambiguous.map(({ answer, pops, count }) => `  ${pad(count)}  ${answer}  (${pops.join(", ")})`),
      );
    }
    if (summary.unknownPops.length) {
      const unknown = summary.unknownPops.map(({ code, count }): [string, number] => [code, count]);
      lines.push("", "PoP codes that are not among the PoPs given:", ...table(unknown));
    }
  }
  if (summary.issueCount) {
    lines.push("", `Issues (${summary.issueCount}):`);
    for (const issue of summary.issues) {
      lines.push(`  record ${issue.index}${issue.line !== undefined ? ` (line ${issue.line})` : ""}: ${issue.reason}`);
    }
    if (summary.issueCount > summary.issues.length) lines.push(`  ...and ${summary.issueCount - summary.issues.length} more`);
  }
  return lines.join("\n");
}

function increment(counts: Map<string, number>, key: string) {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function byCount(counts: Map<string, number>): [string, number][] {
  return [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

function table(entries: [string, number][]): string[] {
  const width = Math.max(...entries.map(([key]) => key.length));
  return entries.map(([key, count]) => `  ${key.padEnd(width)}  ${count}`);
}

function pad(count: number): string {
  return String(count).padStart(6);
}
