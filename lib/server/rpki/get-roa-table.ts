import "server-only";
import type { Db, Tx } from "../db/create-client";
import { cidr } from "@/lib/domain/cidr";
import { analyseRoas, findRedundancy, type RoaState } from "@/lib/domain/roas/roa-analysis";
import { effectiveVrps, type EffectiveVrp } from "@/lib/domain/roas/roa-import";
import { VrpIndex } from "@/lib/domain/roas/vrp-index";
import { listFleetRoutes, loadFilters, loadStoredRoas } from "./rpki-store";

export type RoaTableRow = {
  id: number;
  prefix: string;
  maxLength: number;
  asn: number;
  source: string;
  expiresAt: Date | null;
  status: "effective" | "filtered" | "expired";
  states: RoaState[];
  authorises: string[];
  disallows: string[];
  redundantWith: string | null;
};

export type RoaTableQuery = { q?: string; source?: string; state?: RoaState };

const SHOWN = 500;
/** Past this many ROAs, redundancy (one index probe per ROA) is worked out for the shown rows only. */
const REDUNDANCY_FOR_ALL = 50_000;

/**
 * The ROA table with each ROA analysed against the fleet's routes. A full validator set is
 * large: the table lists at most 500 rows matching the search, analysed against the whole set.
 */
export async function getRoaTable(db: Db | Tx, query: RoaTableQuery) {
  const [stored, filters, routes] = await Promise.all([loadStoredRoas(db), loadFilters(db), listFleetRoutes(db)]);
  const now = new Date();
  const { vrps, filtered, expired } = effectiveVrps(stored, filters, now);
  const index = new VrpIndex(vrps);
  const inTable = routes
    .filter((route) => route.pops > 0)
    .map((route) => {
      const prefix = cidr(route.cidr);
      return { prefix, asn: route.originAsn, validity: index.validate(prefix, route.originAsn).validity, text: route.cidr };
    });
  const redundancyForAll = vrps.length <= REDUNDANCY_FOR_ALL;
  const analysis = analyseRoas(vrps, inTable, index, { redundancy: redundancyForAll });
  const text = query.q?.trim().toLowerCase() ?? "";
  const asnQuery = /^(as)?\d+$/.test(text) ? Number(text.replace(/^as/, "")) : null;
  const matchesQuery = (roa: { prefix: string; asn: number; source: string }) =>
    (!text || (asnQuery !== null ? roa.asn === asnQuery : roa.prefix.includes(text))) && (!query.source || roa.source === query.source);

  const rows: RoaTableRow[] = [];
  const describe = (vrp: EffectiveVrp, shown: boolean) => {
    const result = { ...analysis.get(vrp)! };
    if (!redundancyForAll && shown) {
      result.redundantWith = findRedundancy(vrp, index);
      if (result.redundantWith) result.states = [...result.states.filter((s) => s !== "as0"), "redundant", ...result.states.filter((s) => s === "as0")];
    }
    return {
      states: result.states,
      authorises: result.authorises.map((route) => (route as (typeof inTable)[number]).text),
      disallows: result.disallows.map((route) => (route as (typeof inTable)[number]).text),
      redundantWith: result.redundantWith ? `${result.redundantWith.prefix.text}-${result.redundantWith.maxLength} AS${result.redundantWith.asn}` : null,
    };
  };
  let matched = 0;
  for (const vrp of vrps) {
    if (!matchesQuery(vrp.roa)) continue;
    const described = describe(vrp, rows.length < SHOWN);
    if (query.state && !described.states.includes(query.state)) continue;
    matched++;
    if (rows.length < SHOWN) rows.push({ ...vrp.roa, status: "effective", ...described });
  }
  if (!query.state) {
    for (const [list, status] of [[filtered, "filtered"], [expired, "expired"]] as const) {
      for (const roa of list) {
        if (!matchesQuery(roa)) continue;
        matched++;
        if (rows.length < SHOWN) rows.push({ ...roa, status, states: [], authorises: [], disallows: [], redundantWith: null });
      }
    }
  }
  const stateCounts = Object.fromEntries(
    (["seen", "too_permissive", "disallowing", "not_seen", "redundant", "as0"] as const).map((state) => [state, [...analysis.values()].filter((a) => a.states.includes(state)).length]),
  ) as Record<RoaState, number>;
  const sources = [...new Set(stored.map((roa) => roa.source))].sort();
  return {
    rows,
    matched,
    shownLimit: SHOWN,
    totals: { stored: stored.length, effective: vrps.length, filtered: filtered.length, expired: expired.length },
    stateCounts,
    redundancyForAll,
    sources,
    filters,
  };
}
