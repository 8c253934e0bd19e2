// ROA analysis as Krill shows it: each ROA against the routes the fleet has in the table.
// seen: it makes at least one route Valid. too permissive: seen, but its maxLength allows
// more-specifics that nobody announces (an invitation to a forged-origin sub-prefix hijack).
// disallowing: it covers a route that is Invalid and authorises none. not seen (stale):
// it neither authorises nor disallows anything. redundant: another ROA for the same AS covers
// its prefix with a maxLength at least as long. AS0: it says "nobody may originate this".
import type { Cidr } from "../cidr";
import type { Validity, Vrp } from "../rpki";
import type { VrpIndex } from "./vrp-index";

export type RoaState = "seen" | "too_permissive" | "disallowing" | "not_seen" | "redundant" | "as0";

export const ROA_STATE_LABELS: Record<RoaState, string> = {
  seen: "Seen",
  too_permissive: "Too permissive",
  disallowing: "Disallowing",
  not_seen: "Not seen (stale)",
  redundant: "Redundant",
  as0: "AS0",
};

export const ROA_STATE_HINTS: Record<RoaState, string> = {
  seen: "Authorises a route the fleet announces.",
  too_permissive: "Its maxLength allows more-specifics nobody announces: lower it to the announced length.",
  disallowing: "Covers a route the fleet announces, authorises none of them: that route is RPKI Invalid.",
  not_seen: "Authorises no route the fleet announces: stale, or for a prefix announced elsewhere.",
  redundant: "Another ROA for the same AS already covers it.",
  as0: "AS0: nobody may originate this prefix (RFC 6483).",
};

/** A route in the table: a prefix with its origin, and the overall validity of that pair. */
export type Route = { prefix: Cidr; asn: number; validity: Validity };

export type RoaAnalysis<R extends Route> = {
  states: RoaState[];
  authorises: R[];
  disallows: R[];
  /** The ROA that makes this one redundant. */
  redundantWith: Vrp | null;
};

/** Whether the authorised routes announce every more-specific the ROA allows. */
function allowsUnannounced(roa: Vrp, authorised: readonly Route[]): boolean {
  if (roa.maxLength === roa.prefix.length) return false;
  // Past 16 levels no fleet announces every more-specific: skip the count.
  if (roa.maxLength - roa.prefix.length > 16) return true;
  for (let length = roa.prefix.length; length <= roa.maxLength; length++) {
    const seen = new Set(authorised.filter((route) => route.prefix.length === length).map((route) => route.prefix.text)).size;
    if (seen < 2 ** (length - roa.prefix.length)) return true;
  }
  return false;
}

/** Another ROA for the same AS that covers this one's prefix with a maxLength at least as long. */
export function findRedundancy<V extends Vrp>(roa: V, index: VrpIndex<V>): V | null {
  if (roa.asn === 0) return null;
  const candidates = index.covering(roa.prefix);
  const own = candidates.indexOf(roa);
  return (
    candidates.find((other, position) => {
      if (other === roa || other.asn !== roa.asn || other.maxLength < roa.maxLength) return false;
      // Of two identical ROAs (say from two sources), only the one indexed later is redundant.
      const identical = other.prefix.length === roa.prefix.length && other.maxLength === roa.maxLength;
      return !identical || (own >= 0 && position < own);
    }) ?? null
  );
}

/**
 * Analyses `roas` (which must be in `index`, the whole effective VRP set) against `routes`. Each
 * route's covering ROAs come from the index, so the cost grows with routes and ROAs, not their
 * product. `redundancy: false` skips the redundancy lookup (one index probe per ROA), which a
 * caller with a full validator set does only for the rows it shows.
 */
export function analyseRoas<V extends Vrp, R extends Route>(roas: readonly V[], routes: readonly R[], index: VrpIndex<V>, options: { redundancy?: boolean } = {}): Map<V, RoaAnalysis<R>> {
  const coveredBy = new Map<V, R[]>();
  for (const route of routes) {
    for (const vrp of index.covering(route.prefix)) {
      const list = coveredBy.get(vrp);
      if (list) list.push(route);
      else coveredBy.set(vrp, [route]);
    }
  }
  const result = new Map<V, RoaAnalysis<R>>();
  for (const roa of roas) {
    const covered = coveredBy.get(roa) ?? [];
    const authorises = covered.filter((route) => roa.asn !== 0 && route.asn === roa.asn && route.prefix.length <= roa.maxLength);
    const disallows = covered.filter((route) => !authorises.includes(route) && route.validity !== "valid" && route.validity !== "not_found");
    const states: RoaState[] = [];
    if (authorises.length > 0) states.push(allowsUnannounced(roa, authorises) ? "too_permissive" : "seen");
    else if (disallows.length > 0) states.push("disallowing");
    else if (roa.asn !== 0) states.push("not_seen");
    const redundantWith = options.redundancy === false ? null : findRedundancy(roa, index);
    if (redundantWith) states.push("redundant");
    if (roa.asn === 0) states.push("as0");
    result.set(roa, { states, authorises, disallows, redundantWith });
  }
  return result;
}
