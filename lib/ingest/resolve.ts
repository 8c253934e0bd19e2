// Which prefix and which PoP each parsed measurement is about, given the fleet. Pure: the
// caller loads the fleet's prefixes and PoPs, and stores what this returns.
//
// Prefix, from the record's target (or, when it names none, the batch's default):
// - an address (RIPE Atlas `dst_addr`): the longest fleet prefix holding it;
// - a CIDR: the fleet prefix with exactly that network;
// - otherwise a service name: its one prefix (a service with several needs the prefix named);
// - nothing at all: the fleet's only prefix, if it has just one.
// PoP: the code a record names, or the PoP whose identities match its answer. An answer that
// matches no PoP is kept with no PoP (the summary lists it); a PoP code the fleet lacks is an issue.
import { canonicalCidr, covers, isIpAddress, parseCidr, type Cidr } from "@/lib/domain/cidr";
import { createPopMatcher } from "./identities";
import type { ParsedMeasurement, ParseIssue } from "./types";

export type FleetPrefix = { id: number; cidr: string; service: string };
export type FleetPop = { id: number; code: string; identities: string[] };

export type ResolvedMeasurement = {
  record: ParsedMeasurement;
  prefixId: number;
  popId: number | null;
  /** What is stored as the answer: the name the server gave, or the PoP code a record named. */
  answer: string;
};

export type PrefixLookup = (target: string) => { ok: true; prefixId: number } | { ok: false; reason: string };

/** A lookup from a record's target to a fleet prefix, following the rules above. */
export function createPrefixLookup(prefixes: readonly FleetPrefix[], defaultTarget?: string): PrefixLookup {
  const parsed = prefixes.flatMap((prefix) => {
    const result = parseCidr(prefix.cidr);
    return result.ok ? [{ prefix, cidr: result.cidr }] : [];
  });
  const byCidr = new Map(prefixes.map((prefix) => [prefix.cidr, prefix.id]));

  const lookup = (target: string): { ok: true; prefixId: number } | { ok: false; reason: string } => {
    if (isIpAddress(target)) {
      const host = parseCidr(target.includes(":") ? `${target}/128` : `${target}/32`);
      if (!host.ok) return { ok: false, reason: `${target} is not an address` };
      const holding = longestHolding(parsed, host.cidr);
      return holding === null ? { ok: false, reason: `${target} is in none of the fleet's prefixes` } : { ok: true, prefixId: holding };
    }
    if (target.includes("/")) {
      const canonical = canonicalCidr(target);
      if (canonical === null) return { ok: false, reason: `target ${target} is not a valid prefix` };
      const id = byCidr.get(canonical);
      return id === undefined ? { ok: false, reason: `${canonical} is not one of the fleet's prefixes` } : { ok: true, prefixId: id };
    }
    const service = target.toLowerCase();
    const matching = prefixes.filter((prefix) => prefix.service.toLowerCase() === service);
    if (matching.length === 1) return { ok: true, prefixId: matching[0]!.id };
    if (matching.length > 1) {
      return { ok: false, reason: `service ${target} has ${matching.length} prefixes (${matching.map((p) => p.cidr).join(", ")}): name the prefix` };
    }
    return { ok: false, reason: `no prefix or service is called ${target}` };
  };

  // Targets repeat (a catchment file names one anycast address a million times): each is
  // parsed once. The cache is bounded so a batch of all-different targets does not grow it without end.
  const known = new Map<string, ReturnType<PrefixLookup>>();
  const cached = (target: string) => {
    let result = known.get(target);
    if (!result) {
      result = lookup(target);
      if (known.size < 10_000) known.set(target, result);
    }
    return result;
  };

  return (target) => {
    if (target !== "") return cached(target);
    if (defaultTarget !== undefined) return cached(defaultTarget);
    if (prefixes.length === 1) return { ok: true, prefixId: prefixes[0]!.id };
    return { ok: false, reason: "names no prefix or service, and the batch gives no default (prefix=...)" };
  };
}

function longestHolding(prefixes: readonly { prefix: FleetPrefix; cidr: Cidr }[], host: Cidr): number | null {
  let best: { id: number; length: number } | null = null;
  for (const { prefix, cidr } of prefixes) {
    if (covers(cidr, host) && (!best || cidr.length > best.length)) best = { id: prefix.id, length: cidr.length };
  }
  return best?.id ?? null;
}

/** Gives each record its prefix and PoP; a record that cannot have them becomes an issue. */
export function resolveMeasurements(
  records: readonly ParsedMeasurement[],
  fleet: { prefixes: readonly FleetPrefix[]; pops: readonly FleetPop[]; defaultTarget?: string },
): { resolved: ResolvedMeasurement[]; issues: ParseIssue[] } {
  const prefixOf = createPrefixLookup(fleet.prefixes, fleet.defaultTarget);
  const matchAnswer = createPopMatcher(fleet.pops);
  const popIdByCode = new Map(fleet.pops.map((pop) => [pop.code.toUpperCase(), pop.id]));
  const resolved: ResolvedMeasurement[] = [];
  const issues: ParseIssue[] = [];

  for (const record of records) {
    if (record.answer?.includes("\u0000")) {
      issues.push({ ...record.position, reason: "the answer holds a NUL character" });
      continue;
    }
    const prefix = prefixOf(record.target);
    if (!prefix.ok) {
      issues.push({ ...record.position, reason: prefix.reason });
      continue;
    }
    if (record.popCode !== null) {
      const popId = popIdByCode.get(record.popCode.toUpperCase());
      if (popId === undefined) {
        issues.push({ ...record.position, reason: `pop ${record.popCode} is not a PoP of this fleet` });
        continue;
      }
      resolved.push({ record, prefixId: prefix.prefixId, popId, answer: record.answer ?? record.popCode.toUpperCase() });
      continue;
    }
    const answer = record.answer ?? "";
    const match = matchAnswer(answer);
    const popId = match.status === "matched" ? (popIdByCode.get(match.code.toUpperCase()) ?? null) : null;
    resolved.push({ record, prefixId: prefix.prefixId, popId, answer });
  }
  return { resolved, issues };
}
