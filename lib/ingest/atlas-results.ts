// RIPE Atlas DNS results as a JSON array, one result per line, or an object whose `results` they
// are (as tools that keep a measurement with its metadata and probes save it; the rest of that
// object is not read). A result holds either `result`, `error`, or a `resultset` with one entry
// per resolver, each entry again with `result` or `error`. Each entry whose response names the
// server (a TXT answer to CHAOS hostname.bind / id.server, an NSID, a CNAME target) becomes a
// measurement.
import { decodeAbuf } from "./dns-answer";
import { optionalNumber, probeId, quote, unixSeconds } from "./fields";
import { createJsonRecordReader, createUnwrapper, isObject, positionOf, type JsonRecord } from "./json-records";
import { parseWhole, type BatchParser, type ParsedMeasurement, type ParseIssue, type ParseResult } from "./types";

type Entry = { answer: string; rttMs: number | null; measuredAt: Date; target: string };

export function parseAtlasResults(text: string): ParseResult<ParsedMeasurement> {
  return parseWhole(createAtlasResultsParser(), text);
}

export function createAtlasResultsParser(): BatchParser<ParsedMeasurement> {
  const reader = createJsonRecordReader("RIPE Atlas DNS results");
  const unwrap = createUnwrapper((value) => ("type" in value || !Array.isArray(value.results) ? undefined : value.results));
  return { push: (text) => readResults(unwrap(reader.push(text))), end: () => readResults(unwrap(reader.end())) };
}

function readResults(input: JsonRecord[]): ParseResult<ParsedMeasurement> {
  const records: ParsedMeasurement[] = [];
  const issues: ParseIssue[] = [];
  let errors = 0;

  for (const item of input) {
    const position = positionOf(item);
    const report = (reason: string) => issues.push({ ...position, reason });
    if ("error" in item) {
      report(item.error);
      continue;
    }
    const result = item.value;
    if (!isObject(result)) {
      report("not a JSON object");
      continue;
    }
    if (result.type !== "dns") {
      report(typeof result.type === "string" ? `not a DNS result (type ${quote(result.type)})` : "not a DNS result (no type)");
      continue;
    }
    const probe = probeId(result.prb_id, "prb_id");
    if (!probe.ok || !/^\d+$/.test(probe.value)) {
      report(probe.ok ? `prb_id ${quote(result.prb_id)} is not a probe number` : probe.reason);
      continue;
    }
    const msmId = typeof result.msm_id === "number" && Number.isInteger(result.msm_id) ? result.msm_id : undefined;
    const probeAddress = typeof result.from === "string" && result.from ? result.from : undefined;

    const resultset = result.resultset;
    if (resultset !== undefined && !Array.isArray(resultset)) {
      report("resultset is not an array");
      continue;
    }
    if (resultset === undefined && result.result === undefined && result.error === undefined) {
      report("has neither result, error nor resultset");
      continue;
    }
    const entries: unknown[] = resultset ?? [result];
    entries.forEach((entry, i) => {
      const prefix = resultset ? `resultset entry ${i + 1}: ` : "";
      if (!isObject(entry)) {
        report(`${prefix}not a JSON object`);
        return;
      }
      if (entry.error !== undefined) {
        errors++;
        report(`${prefix}probe reported: ${errorText(entry.error)}`);
        return;
      }
      const parsed = readEntry(entry, result);
      if (!parsed.ok) {
        report(prefix + parsed.reason);
        return;
      }
      records.push({
        position,
        source: "atlas",
        probeExternalId: probe.value,
        target: parsed.entry.target,
        answer: parsed.entry.answer,
        popCode: null,
        rttMs: parsed.entry.rttMs,
        measuredAt: parsed.entry.measuredAt,
        ...(probeAddress ? { probeAddress } : {}),
        ...(msmId !== undefined ? { msmId } : {}),
      });
    });
  }
  return { records, issues, errors, total: input.length };
}

/** `entry` is the result itself, or one resultset entry (which has `time`, not `timestamp`). */
function readEntry(
  entry: Record<string, unknown>,
  outer: Record<string, unknown>,
): { ok: true; entry: Entry } | { ok: false; reason: string } {
  const result = entry.result;
  if (!isObject(result)) return { ok: false, reason: "result is not an object" };
  const when = entry === outer ? unixSeconds(outer.timestamp, "timestamp") : unixSeconds(entry.time ?? outer.timestamp, "time");
  if (!when.ok) return when;
  const rt = optionalNumber(result.rt, "rt");
  if (!rt.ok) return rt;
  if (rt.value !== null && rt.value < 0) return { ok: false, reason: `rt ${rt.value} is negative` };
  const answer = identityOf(result);
  if (!answer.ok) return answer;
  const target = [entry.dst_addr, outer.dst_addr, entry.dst_name, outer.dst_name].find(
    (value): value is string => typeof value === "string" && value !== "",
  );
  return { ok: true, entry: { answer: answer.text, rttMs: rt.value, measuredAt: when.value, target: target ?? "" } };
}

/**
 * The identity of the server that answered. A TXT answer comes first: it is what an identity
 * query (CHAOS hostname.bind / id.server) asks for. Then the NSID, by which a server names itself
 * whatever the question (root letters' NSID measurements ask for an SOA). A CNAME target comes
 * last: it names a site only by an operator's convention (Quad9's id.server.on.quad9.net), and in
 * other answers it is ordinary data. TXT comes from the parsed `answers` when Atlas gave them,
 * everything else from `abuf`, read only when those name no server. An empty one gives way to
 * the next.
 */
function identityOf(result: Record<string, unknown>): { ok: true; text: string } | { ok: false; reason: string } {
  const parsed = Array.isArray(result.answers) ? result.answers.flatMap(txtRdata) : [];
  const found = parsed.map((text) => ({ kind: "TXT answer", text }));
  let rcode: string | undefined;
  if (!parsed.some((text) => text.trim()) && typeof result.abuf === "string") {
    const decoded = decodeAbuf(result.abuf);
    if (!decoded.ok) return decoded;
    rcode = decoded.rcode;
    found.push(
      ...decoded.texts.map((text) => ({ kind: "TXT answer", text })),
      ...(decoded.nsid === undefined ? [] : [{ kind: "NSID", text: decoded.nsid }]),
      ...decoded.cnameTargets.map((text) => ({ kind: "CNAME target", text })),
    );
  }
  const identity = found.find((candidate) => candidate.text.trim());
  if (identity) return { ok: true, text: identity.text.trim() };
  if (found[0]) return { ok: false, reason: `the ${found[0].kind} is empty` };
  if (typeof result.abuf !== "string") {
    return { ok: false, reason: Array.isArray(result.answers) ? "no TXT answer and no abuf" : "result has neither answers nor abuf" };
  }
  const status = rcode && rcode !== "NOERROR" ? ` (${rcode})` : "";
  return { ok: false, reason: `no TXT, NSID or CNAME answer in the response${status}` };
}

/** Atlas writes a TXT answer's RDATA as an array of character-strings (older results: one string). */
function txtRdata(answer: unknown): string[] {
  if (!isObject(answer) || answer.TYPE !== "TXT") return [];
  const rdata = answer.RDATA;
  if (typeof rdata === "string") return [rdata];
  if (Array.isArray(rdata) && rdata.every((part) => typeof part === "string")) return [rdata.join("")];
  return [];
}

/** Atlas errors are objects such as {"timeout": 5000} or {"socket": "connect failed"}. */
function errorText(error: unknown): string {
  if (typeof error === "string") return error || "error";
  if (isObject(error)) {
    const parts = Object.entries(error).map(([key, value]) => `${key} ${typeof value === "string" ? value : quote(value)}`);
    if (parts.length) return parts.join(", ");
  }
  return quote(error);
}
