// `npm run predict -- --catchment FILE [--format FORMAT] [--pops pops.json] [--target T] [--json] (--drain CODE[:PREPENDS] | --withdraw CODE)`
// Where the catchment would go under a drain or a withdraw, with no database: the catchment model
// (lib/domain/catchment/model.ts) on a measured catchment, for offline what-ifs on real data.
// FILE: an iGreedy measurement+gt TSV, or anything `npm run ingest` reads (RIPE Atlas results, the
// console's NDJSON/CSV, a Verfploeter or MAnycastR catchment file; gzipped or Parquet too), read
// through ingest's own detection and decompression; --format as ingest takes it. The latest
// answer per probe counts.
// pops.json: [{ code, lat, lon, upstreamAsns?, identities?, state?, prepends? }]; without it, each
// PoP is placed at its lowest-RTT probes (answers must then name their PoP).
// Records that cannot be used (a bad line, an Atlas timeout) are named on stderr and left out,
// as `npm run ingest` leaves them out: a probe fewer does not falsify the rest.
// Exit codes: 0 predicted; 1 a file is unreadable, the pops file malformed, or no record usable; 2 usage.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { MAX_PREPEND } from "../lib/agent-protocol/schemas";
import { isIgreedyTable, parseIgreedyTable, siteLocations } from "../lib/domain/catchment/igreedy";
import { buildCatchmentModel, type Locality, type MeasuredAnswer, type PopRouting, type ProbeFacts, type ProbePrediction } from "../lib/domain/catchment/model";
import type { LatLon } from "../lib/domain/geo";
import { DEFAULT_PREPEND } from "../lib/domain/operations/plan";
import { createPopMatcher } from "../lib/ingest/identities";
import { collectBatch, streamInput, type ParsedBatch } from "../lib/ingest/parse-batch";
import { INGEST_FORMATS, IngestRefusedError, type IngestFormat } from "../lib/ingest/types";
import { describeFsError } from "./fs-error";

const USAGE = `usage: npm run predict -- --catchment FILE [--format ${INGEST_FORMATS.join("|")}] [--pops pops.json] [--target T] [--json] (--drain CODE[:PREPENDS] | --withdraw CODE)`;

export const EXIT = { predicted: 0, fileError: 1, usage: 2 } as const;

type Output = { out: string[]; err: string[] };

const popsFile = z.array(
  z.object({
    code: z.string().trim().min(1),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    upstreamAsns: z.array(z.number().int().positive()).default([]),
    identities: z.array(z.string()).default([]),
    state: z.enum(["announced", "drained", "withdrawn"]).default("announced"),
    prepends: z.number().int().min(1).max(MAX_PREPEND).optional(),
  }),
);
type PopsFile = z.output<typeof popsFile>;

/** What the model needs, read from the files. */
type Catchment = { probes: ProbeFacts[]; measured: MeasuredAnswer[]; locatedFrom: { location: LatLon; site: string; rttMs: number }[]; unnamed: UnnamedAnswers };

/** Answers left out for naming no PoP, by their text: matched by no PoP's identities, or by several PoPs' alike. */
type UnnamedAnswers = { unmatched: Map<string, number>; ambiguous: Map<string, { codes: string[]; count: number }> };

class FileError extends Error {}

function localityLine(locality: Locality): string {
  const percent = (share: number) => `${Math.round(share * 100)} %`;
  const follows = locality.trustNeighbours ? "located moving probes follow their neighbours" : "located moving probes go to the lowest calibrated RTT";
  return `On ${count(locality.sampled, "probe")} of this catchment, the neighbours named the PoP measured ${percent(locality.neighbours)} of the time, the lowest calibrated RTT ${percent(locality.rtt)}: ${follows}.`;
}

/**
 * The rule that placed the moving probes, with counts: the model's, not a general claim. A probe
 * without a location has no distance and no neighbours, so it goes to the candidate serving the
 * most probes now (the model's "largest-catchment"), wherever the PoPs stand.
 */
function ruleLines(predictions: readonly ProbePrediction[]): string[] {
  const largest = new Map<string, number>();
  let byRtt = 0, byNeighbours = 0;
  for (const prediction of predictions) {
    if (prediction.popId === null || prediction.popId === prediction.measuredPopId) continue;
    if (prediction.reason === "largest-catchment") largest.set(String(prediction.popId), (largest.get(String(prediction.popId)) ?? 0) + 1);
    else if (prediction.reason === "calibrated-rtt") byRtt++;
    else if (prediction.reason === "neighbours") byNeighbours++;
  }
  const go = (n: number) => (n === 1 ? "goes" : "go");
  return [
    ...(byNeighbours ? [`${count(byNeighbours, "probe")} ${byNeighbours === 1 ? "follows most of its" : "follow most of their"} nearest neighbours.`] : []),
    ...(byRtt ? [`${count(byRtt, "probe")} ${go(byRtt)} to the PoP with the lowest calibrated RTT.`] : []),
    ...[...largest]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([popId, n]) => `${count(n, "probe")} without a location ${go(n)} to ${popId}, which serves the most probes now of the PoPs ${n === 1 ? "it" : "they"} can go to: the model has no distance for them.`),
  ];
}
class UsageError extends Error {}

function readText(file: string): string {
  return readBytes(file).toString("utf8");
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file === "-" ? 0 : file);
  } catch (error) {
    throw new FileError(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

type Issue = { line?: number; index?: number; reason: string };

function listIssues(file: string, issues: readonly Issue[], io: Output): void {
  for (const issue of issues.slice(0, 50)) io.err.push(`catchment predict: ${file}: ${issue.line ? `line ${issue.line}: ` : issue.index ? `record ${issue.index}: ` : ""}${issue.reason}`);
  if (issues.length > 50) io.err.push(`catchment predict: ${file}: and ${issues.length - 50} more`);
}

function malformed(file: string, issues: readonly Issue[], io: Output): never {
  listIssues(file, issues, io);
  throw new FileError(`${file} is malformed (${issues.length} bad record${issues.length === 1 ? "" : "s"}); nothing was predicted.`);
}

function leftOut(file: string, issues: readonly Issue[], io: Output): void {
  if (!issues.length) return;
  listIssues(file, issues, io);
  io.err.push(`catchment predict: ${file}: ${issues.length} record${issues.length === 1 ? "" : "s"} left out.`);
}

function readPops(file: string, io: Output): PopsFile {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`${file} is not JSON`);
  }
  const parsed = popsFile.safeParse(json);
  if (!parsed.success) malformed(file, parsed.error.issues.map((issue) => ({ reason: `${issue.path.join(".") || "the file"}: ${issue.message}` })), io);
  const codes = parsed.data.map((pop) => pop.code);
  const twice = codes.find((code, k) => codes.indexOf(code) !== k);
  if (twice) throw new FileError(`${file} names PoP ${twice} twice`);
  return parsed.data;
}

/** iGreedy's table is predict's own; everything else is read as `npm run ingest` reads it, gzip and Parquet included. */
async function readCatchment(file: string, format: IngestFormat | undefined, pops: PopsFile | null, target: string | undefined, io: Output): Promise<Catchment> {
  const bytes = readBytes(file);
  if (format === undefined && isIgreedyTable(bytes.subarray(0, 64).toString("utf8"))) {
    const text = bytes.toString("utf8");
    const { rows, issues } = parseIgreedyTable(text);
    leftOut(file, issues, io);
    if (rows.length === 0) throw new FileError(`${file} has no usable line`);
    const at = new Date(0);
    return {
      probes: rows.map((row) => ({ id: row.probeId, location: row.location, asn: null })),
      measured: rows.map((row) => ({ probeId: row.probeId, popId: row.site, rttMs: row.rttMs, at })),
      locatedFrom: rows,
      unnamed: { unmatched: new Map(), ambiguous: new Map() },
    };
  }
  let batch: ParsedBatch;
  try {
    batch = await collectBatch(await streamInput((async function* () { yield bytes; })(), format));
  } catch (error) {
    if (error instanceof IngestRefusedError) throw new FileError(`${file}: ${error.message}`);
    throw error;
  }
  if (batch.kind !== "measurements") throw new FileError(`${file} is a probe archive, not measurements`);
  leftOut(file, batch.result.issues, io);
  const targets = [...new Set(batch.result.records.map((record) => record.target))];
  const records = batch.result.records.filter((record) => target === undefined || record.target === target);
  if (target === undefined && targets.length > 1) throw new UsageError(`${file} measures several targets (${targets.join(", ")}): pick one with --target`);
  if (records.length === 0) throw new UsageError(`${file} has no measurement of target ${target}`);

  const match = createPopMatcher((pops ?? []).map((pop) => ({ code: pop.code, identities: pop.identities })));
  const probes = new Map<string, ProbeFacts>();
  const measured: MeasuredAnswer[] = [];
  const locatedFrom: Catchment["locatedFrom"] = [];
  const unnamed: UnnamedAnswers = { unmatched: new Map(), ambiguous: new Map() };
  for (const record of records) {
    const matched = record.popCode ?? (record.answer !== null ? match(record.answer) : ({ status: "unmatched" } as const));
    const popCode = typeof matched === "string" ? matched : matched.status === "matched" ? matched.code : null;
    if (popCode === null) {
      const answer = record.answer ?? "";
      if (typeof matched !== "string" && matched.status === "ambiguous") unnamed.ambiguous.set(answer, { codes: matched.codes, count: (unnamed.ambiguous.get(answer)?.count ?? 0) + 1 });
      else unnamed.unmatched.set(answer, (unnamed.unmatched.get(answer) ?? 0) + 1);
      continue;
    }
    const known = probes.get(record.probeExternalId);
    const placed = record.probe && record.probe.lat !== null && record.probe.lon !== null ? { lat: record.probe.lat, lon: record.probe.lon } : null;
    const location = placed ?? known?.location ?? null;
    probes.set(record.probeExternalId, { id: record.probeExternalId, location, asn: record.probe?.asnV4 ?? known?.asn ?? null });
    measured.push({ probeId: record.probeExternalId, popId: popCode, rttMs: record.rttMs, at: record.measuredAt });
    if (location && record.rttMs !== null) locatedFrom.push({ location, site: popCode, rttMs: record.rttMs });
  }
  return { probes: [...probes.values()], measured, locatedFrom, unnamed };
}

const sum = (counts: Iterable<number>) => [...counts].reduce((a, b) => a + b, 0);

/** Why answers name no PoP, as a dry run of `npm run ingest` tells them apart: no identity matches, or several PoPs' do. */
function unnamedParts({ unmatched, ambiguous }: UnnamedAnswers, popsFile: string | undefined, pops: PopsFile | null): string[] {
  const answers = (n: number, one: string, many: string) => `${count(n, "answer")} ${n === 1 ? one : many}`;
  const mostFirst = <T>(entries: Map<string, T>, countOf: (value: T) => number) =>
    [...entries].filter(([answer]) => answer).sort((a, b) => countOf(b[1]) - countOf(a[1]) || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
  const parts: string[] = [];
  if (unmatched.size) {
    const n = sum(unmatched.values());
    const shown = mostFirst(unmatched, (c) => c).map(([answer]) => JSON.stringify(answer));
    const examples = shown.length ? ` (e.g. ${shown.join(", ")})` : "";
    if (!pops) parts.push(`${answers(n, "names", "name")} no PoP${examples}: give --pops with each PoP's identities`);
    else if (pops.every((pop) => pop.identities.length === 0)) parts.push(`${answers(n, "names", "name")} no PoP${examples}, and ${popsFile} gives no PoP identities`);
    else parts.push(`${answers(n, "matches", "match")} no PoP's identities in ${popsFile}${examples}`);
  }
  if (ambiguous.size) {
    const n = sum([...ambiguous.values()].map((entry) => entry.count));
    const shown = mostFirst(ambiguous, (entry) => entry.count).map(([answer, { codes }]) => `${JSON.stringify(answer)}: ${codes.join(", ")}`);
    parts.push(`${answers(n, "matches", "match")} the identities of several PoPs in ${popsFile} (e.g. ${shown.join("; ")})`);
  }
  return parts;
}

function parseChange(values: { drain?: string; withdraw?: string }): PopRouting & { popId: string } {
  if ((values.drain === undefined) === (values.withdraw === undefined)) throw new UsageError("give one of --drain CODE[:PREPENDS] or --withdraw CODE");
  if (values.withdraw !== undefined) return { popId: values.withdraw.trim(), state: "withdrawn" };
  const [code, prependText, ...rest] = values.drain!.split(":");
  const prepends = prependText === undefined ? DEFAULT_PREPEND : Number(prependText);
  if (rest.length || !code?.trim() || !Number.isInteger(prepends) || prepends < 1 || prepends > MAX_PREPEND) {
    throw new UsageError(`--drain takes CODE or CODE:PREPENDS with 1 to ${MAX_PREPEND} prepends, not ${values.drain}`);
  }
  return { popId: code.trim(), state: "drained", prepends };
}

const thousands = (n: number) => n.toLocaleString("en");
const count = (n: number, noun: string) => `${thousands(n)} ${noun}${n === 1 ? "" : "s"}`;
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** Runs the CLI on argv and returns the exit code with what it would print: testable without spawning. */
export async function runPredict(argv: string[]): Promise<Output & { code: number }> {
  const io: Output = { out: [], err: [] };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        catchment: { type: "string" },
        format: { type: "string" },
        pops: { type: "string" },
        target: { type: "string" },
        drain: { type: "string" },
        withdraw: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      io.out.push(USAGE);
      return { ...io, code: EXIT.predicted };
    }
    if (!values.catchment) throw new UsageError("--catchment FILE is missing");
    const format = values.format;
    if (format !== undefined && !(INGEST_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${format}`);
    const asked = parseChange(values);
    const pops = values.pops ? readPops(values.pops, io) : null;
    const catchment = await readCatchment(values.catchment, format as IngestFormat | undefined, pops, values.target, io);
    const unnamed = unnamedParts(catchment.unnamed, values.pops, pops);
    if (catchment.measured.length === 0) throw new FileError(`no answer in ${values.catchment} names a PoP: ${unnamed.join("; ")}`);
    const located = pops ? new Map(pops.map((pop) => [pop.code, { lat: pop.lat, lon: pop.lon }])) : siteLocations(catchment.locatedFrom);
    const codes = new Set([...located.keys(), ...(pops ? [] : catchment.measured.map((answer) => answer.popId as string))]);
    const unplaced = [...codes].filter((code) => !located.has(code)).sort();
    if (unplaced.length) throw new FileError(`no location for PoP ${unplaced.join(", ")}: give --pops, or answers with the probe's position and RTT`);
    const unknown = [...new Set(catchment.measured.map((answer) => answer.popId as string))].filter((code) => !located.has(code)).sort();
    if (unknown.length) throw new FileError(`${values.catchment} names PoP ${unknown.join(", ")}, which ${values.pops} does not list`);
    // Codes as the console takes them: `syd1` is SYD1; a code known as written (an iGreedy site, `ams-ix`) stays.
    const popId = located.has(asked.popId) ? asked.popId : asked.popId.toUpperCase();
    if (!located.has(popId)) throw new UsageError(`unknown PoP ${asked.popId}; the PoPs are ${[...located.keys()].sort().join(", ")}`);
    const change = { ...asked, popId };

    const byCode = new Map((pops ?? []).map((pop) => [pop.code, pop]));
    const model = buildCatchmentModel({
      probes: catchment.probes,
      pops: [...located].map(([code, location]) => ({ id: code, location, upstreamAsns: byCode.get(code)?.upstreamAsns ?? [] })),
      current: [...located.keys()].map((code) => ({ popId: code, state: byCode.get(code)?.state ?? "announced", prepends: byCode.get(code)?.prepends })),
      measured: catchment.measured,
      history: [],
    });
    const { probes: predictions, summary } = model.predict({ changes: [change] });
    // A PoP that catches probes announces: the pops file's state is taken as given, but not silently.
    for (const { popId, probes } of summary.before) {
      if (byCode.get(String(popId))?.state !== "withdrawn") continue;
      io.err.push(`catchment predict: warning: ${values.pops} gives ${popId} as withdrawn, yet ${count(probes, "probe")} ${probes === 1 ? "was" : "were"} measured on it; predicted with it withdrawn, as given.`);
    }
    const what = change.state === "drained" ? `Drain of ${change.popId} (${change.prepends} prepends)` : `Withdraw of ${change.popId}`;
    if (values.json) {
      io.out.push(JSON.stringify({ change, unmatched: sum(catchment.unnamed.unmatched.values()), ambiguous: sum([...catchment.unnamed.ambiguous.values()].map((entry) => entry.count)), calibration: { interceptMs: model.calibration.interceptMs, msPerKm: model.calibration.msPerKm, samples: model.calibration.samples }, locality: model.locality, ...summary }, null, 2));
      return { ...io, code: EXIT.predicted };
    }
    const { observed, inferred, fallback } = summary.movedBy;
    io.out.push(`${what}: ${count(summary.probes, "probe")}, ${thousands(summary.moved)} move (observed ${thousands(observed)}, inferred ${thousands(inferred)}, fallback ${thousands(fallback)})${summary.stranded ? `, ${thousands(summary.stranded)} find no PoP` : ""}.`);
    const fit = `${model.calibration.interceptMs.toFixed(1)} ms + ${(model.calibration.msPerKm * 1000).toFixed(1)} ms per 1000 km`;
    // The locality check samples every located probe on a known PoP: none sampled, none located.
    if (!model.locality.sampled) io.out.push("No probe has a location: the model has no RTT calibration and no neighbours to go by.");
    else {
      io.out.push(model.calibration.samples ? `RTT calibrated on ${count(model.calibration.samples, "answer")}: ${fit}.` : `RTT not calibrated (no answer with the probe's position and an RTT): ${fit}.`);
      io.out.push(localityLine(model.locality));
    }
    io.out.push(...ruleLines(predictions));
    if (unnamed.length) io.out.push(`${unnamed.join("; ")}; they are left out.`);
    const before = new Map(summary.before.map((share) => [share.popId, share]));
    const after = new Map(summary.after.map((share) => [share.popId, share]));
    const rows = [...located.keys()]
      .map((code) => ({ code, before: before.get(code)?.probes ?? 0, after: after.get(code)?.probes ?? 0 }))
      .sort((a, b) => b.after - a.after || b.before - a.before || (a.code < b.code ? -1 : 1));
    const width = Math.max(3, ...rows.map((row) => row.code.length));
    io.out.push(`${"PoP".padEnd(width)}  ${"before".padStart(16)}  ${"after".padStart(16)}`);
    const cell = (probes: number) => `${probes.toLocaleString("en").padStart(7)} ${percent(probes / Math.max(1, summary.probes)).padStart(8)}`;
    for (const row of rows) io.out.push(`${row.code.padEnd(width)}  ${cell(row.before)}  ${cell(row.after)}`);
    return { ...io, code: EXIT.predicted };
  } catch (error) {
    if (error instanceof FileError) {
      io.err.push(`catchment predict: ${error.message}`);
      return { ...io, code: EXIT.fileError };
    }
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      io.err.push(`catchment predict: ${error.message}`, USAGE);
      return { ...io, code: EXIT.usage };
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { out, err, code } = await runPredict(process.argv.slice(2));
  if (out.length) process.stdout.write(`${out.join("\n")}\n`);
  if (err.length) process.stderr.write(`${err.join("\n")}\n`);
  process.exitCode = code;
}
