// How an import changes the stored ROA set, computed before anything is written.
//
// The model: the console holds ROAs by source. "manual" ROAs are typed in the console and no
// import touches them. An import of a validator's output (Routinator CSV or JSON, or a JSON
// list) replaces, for each source named in the file (its trust anchors, or the source the
// operator gives for records without one), every stored ROA of that source: what the file
// lacks is removed. A SLURM file replaces the local layer: its prefix assertions (source
// "slurm") and its prefix filters, which hide matching validator ROAs from validation without
// deleting them (RFC 8416: filters apply to the validator's output, never to assertions or to
// ROAs typed in the console). Expired ROAs do not count: a ROA keeps the expiry its file gives
// (rpki-client's `expires`), none when the file gives none.
//
// ASPA objects come only in validator JSON, and follow the same rule: such an import replaces
// every stored ASPA object of the sources it replaces. Files of other formats leave them alone.
import { createHash } from "node:crypto";
import { cidr, covers, type Cidr } from "../cidr";
import type { Validity, Vrp } from "../rpki";
import { aspaKey, vrpKey, type AspaRecord, type ParsedVrpFile, type SlurmFilter, type VrpRecord } from "./vrp-parse";
import { VrpIndex } from "./vrp-index";

export type StoredRoa = { id: number; prefix: string; maxLength: number; asn: number; source: string; expiresAt: Date | null };

export type StoredAspa = AspaRecord & { id: number };

/** A stored ROA as a VRP the validator can use. */
export type EffectiveVrp = Vrp & { roa: StoredRoa };

/** Sources that are the console's own: never replaced by a validator import, never filtered by SLURM. */
export const LOCAL_SOURCES = new Set(["manual", "slurm"]);

export function filterMatches(filter: SlurmFilter, roa: { prefix: Cidr; asn: number }): boolean {
  if (filter.asn !== null && filter.asn !== roa.asn) return false;
  return filter.prefix === null || covers(cidr(filter.prefix), roa.prefix);
}

const STORED_IPV4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/;

/** A stored prefix, already canonical: IPv4 read without ipaddr.js (most of a full set), IPv6 through it. */
export function storedCidr(text: string): Cidr {
  const match = STORED_IPV4.exec(text);
  if (!match) return cidr(text);
  const value = ((Number(match[1]) << 24) >>> 0) + (Number(match[2]) << 16) + (Number(match[3]) << 8) + Number(match[4]);
  return { text, family: 4, length: Number(match[5]), network: BigInt(value) };
}

/**
 * The VRPs validation uses: unexpired stored ROAs, minus validator ROAs a SLURM filter drops.
 * `only` keeps just the ROAs with those prefix texts (say, the ones covering the fleet's routes).
 */
export function effectiveVrps(
  roas: readonly StoredRoa[],
  filters: readonly SlurmFilter[],
  now: Date,
  only?: ReadonlySet<string>,
): { vrps: EffectiveVrp[]; filtered: StoredRoa[]; expired: StoredRoa[] } {
  const parsedFilters = filters.map((filter) => ({ asn: filter.asn, prefix: filter.prefix === null ? null : cidr(filter.prefix) }));
  const vrps: EffectiveVrp[] = [];
  const filtered: StoredRoa[] = [];
  const expired: StoredRoa[] = [];
  for (const roa of roas) {
    if (only && !only.has(roa.prefix)) continue;
    if (isExpired(roa, now)) {
      expired.push(roa);
      continue;
    }
    const prefix = storedCidr(roa.prefix);
    const dropped =
      !LOCAL_SOURCES.has(roa.source) &&
      parsedFilters.some((filter) => (filter.asn === null || filter.asn === roa.asn) && (filter.prefix === null || covers(filter.prefix, prefix)));
    if (dropped) filtered.push(roa);
    else vrps.push({ prefix, maxLength: roa.maxLength, asn: roa.asn, roa });
  }
  return { vrps, filtered, expired };
}

/**
 * A digest of the whole stored set (ROAs with their ids, in id order, SLURM filters and ASPA
 * objects): an apply carries the one its dry run saw. Ids make any change visible (an edit or a
 * delete and re-insert), and their order makes sorting 500,000 rows unnecessary.
 */
export function roaSetDigest(roas: readonly StoredRoa[], filters: readonly SlurmFilter[], aspas: readonly StoredAspa[]): string {
  const ordered = roas.every((roa, index) => index === 0 || roas[index - 1]!.id < roa.id) ? roas : [...roas].sort((a, b) => a.id - b.id);
  const hash = createHash("sha256");
  const CHUNK = 10_000;
  for (let i = 0; i < ordered.length; i += CHUNK) {
    hash.update(ordered.slice(i, i + CHUNK).map((roa) => `${roa.id}|${vrpKey(roa)}|${roa.expiresAt?.getTime() ?? ""}\n`).join(""));
  }
  hash.update("filters\n");
  for (const filter of filters) hash.update(`${filter.prefix ?? ""}|${filter.asn ?? ""}|${filter.comment}\n`);
  hash.update("aspas\n");
  for (const aspa of aspas) hash.update(`${aspa.id}|${aspaKey(aspa)}|${aspa.ta ?? ""}|${aspa.expiresAt?.getTime() ?? ""}\n`);
  return hash.digest("hex").slice(0, 32);
}

export type ImportPlan = {
  format: ParsedVrpFile["format"];
  /** Sources this import replaces. */
  sources: string[];
  added: VrpRecord[];
  removed: StoredRoa[];
  /** Kept as stored, `expiryChanged` among them. */
  unchanged: number;
  /** Stored ROAs the file names again with another expiry (a validator's every run moves it): updated in place. */
  expiryChanged: { id: number; expiresAt: Date | null }[];
  /** SLURM only: the filter set before and after. */
  filters: { before: SlurmFilter[]; after: SlurmFilter[] } | null;
  /** Validator JSON only: the stored ASPA objects of `sources`, all replaced by the file's. */
  aspas: { removed: StoredAspa[]; added: AspaRecord[] } | null;
  duplicates: number;
  /** Parts of the file not used (BGPsec, ASPA), counted. */
  warnings: string[];
};

/** What applying `parsed` to the stored set would add, remove and keep. */
export function planImport(
  stored: readonly StoredRoa[],
  storedFilters: readonly SlurmFilter[],
  storedAspas: readonly StoredAspa[],
  parsed: ParsedVrpFile,
  defaultSource: string,
): ImportPlan {
  const slurm = parsed.format === "slurm";
  // ROAs are replaced per source the file's ROAs name; a file of ASPA objects alone touches no ROA.
  const roaNamed = parsed.vrps.map((vrp) => vrp.source);
  const roaSources = slurm ? ["slurm"] : roaNamed.length ? [...new Set(roaNamed)].sort() : parsed.aspas.length ? [] : [defaultSource];
  // ASPA objects per source their records name, and per source of the file's ROAs: a validator's
  // output without ASPA objects for a trust anchor says it has none. rpki-client names no trust
  // anchor for its ASPA objects, so they take the import's source without widening the ROAs'.
  const aspaSources = new Set([...parsed.aspas.map((aspa) => aspa.source), ...(slurm ? [] : roaSources)]);
  const sources = [...new Set([...roaSources, ...aspaSources])].sort();
  const replaced = new Set(roaSources);
  const incoming = new Map(parsed.vrps.map((vrp) => [vrpKey(vrp), vrp]));
  const removed: StoredRoa[] = [];
  const expiryChanged: ImportPlan["expiryChanged"] = [];
  let unchanged = 0;
  for (const roa of stored) {
    if (!replaced.has(roa.source)) continue;
    const key = vrpKey(roa);
    const again = incoming.get(key);
    if (again) {
      incoming.delete(key);
      unchanged++;
      // The file's expiry is the ROA's now, none when the file gives none.
      const expiresAt = again.expiresAt ?? null;
      if (expiresAt?.getTime() !== roa.expiresAt?.getTime()) expiryChanged.push({ id: roa.id, expiresAt });
    } else {
      removed.push(roa);
    }
  }
  return {
    format: parsed.format,
    sources,
    added: [...incoming.values()],
    removed,
    unchanged,
    expiryChanged,
    filters: slurm ? { before: [...storedFilters], after: parsed.filters } : null,
    aspas: parsed.format === "routinator-json" ? { removed: storedAspas.filter((aspa) => aspaSources.has(aspa.source)), added: parsed.aspas } : null,
    duplicates: parsed.duplicates,
    warnings: parsed.warnings,
  };
}

/** The stored set after the plan, for computing validity before and after. */
export function applyPlanToSet(stored: readonly StoredRoa[], plan: ImportPlan): StoredRoa[] {
  const removed = new Set(plan.removed.map((roa) => roa.id));
  const expiry = new Map(plan.expiryChanged.map((change) => [change.id, change.expiresAt]));
  return [
    ...stored.filter((roa) => !removed.has(roa.id)).map((roa) => (expiry.has(roa.id) ? { ...roa, expiresAt: expiry.get(roa.id)! } : roa)),
    ...plan.added.map((vrp, index) => ({ id: -1 - index, prefix: vrp.prefix, maxLength: vrp.maxLength, asn: vrp.asn, source: vrp.source, expiresAt: vrp.expiresAt ?? null })),
  ];
}

/** Whether a ROA or a file's VRP has expired by `now`: it then does not validate. */
export function isExpired(vrp: { expiresAt?: Date | null }, now: Date): boolean {
  return Boolean(vrp.expiresAt && vrp.expiresAt <= now);
}

/** The file's VRPs that expired before `now`: stored as the file gives them, they do not validate. Null when none did. */
export function expiredInFile(parsed: Pick<ParsedVrpFile, "vrps">, now: Date): { count: number; latest: Date } | null {
  let count = 0;
  let latest = 0;
  for (const vrp of parsed.vrps) {
    if (!isExpired(vrp, now)) continue;
    count++;
    latest = Math.max(latest, vrp.expiresAt!.getTime());
  }
  return count ? { count, latest: new Date(latest) } : null;
}

export type FleetRoute = { prefixId: number; cidr: string; originAsn: number; pops: number };

export type ValidityChange = FleetRoute & { before: Validity; after: Validity };

/** Which of the fleet's routes change validity between two VRP sets. */
export function validityChanges(routes: readonly FleetRoute[], before: VrpIndex, after: VrpIndex): ValidityChange[] {
  return routes.flatMap((route) => {
    const prefix = cidr(route.cidr);
    const was = before.validate(prefix, route.originAsn).validity;
    const will = after.validate(prefix, route.originAsn).validity;
    return was === will ? [] : [{ ...route, before: was, after: will }];
  });
}
