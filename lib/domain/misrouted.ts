// Misrouted probes: answered by a PoP much farther away than the nearest one announcing
// the prefix, or slower than physics allows for the distance to their PoP. Pure, so the
// catchment API, the map and any report agree on what "misrouted" means.
import { distanceKm, minRttMs, type LatLon } from "./geo";
import type { AnnouncementStateName } from "./routing-model";

/**
 * "Much farther": more than this many km beyond the nearest announcing PoP. PoPs of one
 * metro area or of neighbouring ones (Amsterdam-Frankfurt 360 km, London-Paris 340 km,
 * Ashburn-Chicago 960 km) are interchangeable for a client, and BGP picking either is
 * routine. 1,500 km more is at least 15 ms more round trip on the fibre floor alone
 * (typically 25-45 ms on real paths) and usually means the answer left the region.
 */
export const MISROUTED_EXTRA_KM = 1500;

/** An RTT above this many times the fibre bound to the serving PoP is suspicious (the "twice"). */
export const RTT_BOUND_FACTOR = 2;

/**
 * Added to the bound before comparing: a probe's own access network (DSL, cable, Wi-Fi,
 * queueing) costs up to about 25 ms whatever the distance. Without it every probe in its
 * PoP's own city would be "slow", its fibre bound being a fraction of a millisecond.
 */
export const ACCESS_ALLOWANCE_MS = 25;

export type MisroutedPop = LatLon & { id: number; state: AnnouncementStateName | "none" };

export type MisroutedProbe = LatLon & { popId: number | null; rttMs: number | null };

export type MisroutedReason =
  | { kind: "farther"; servedKm: number; nearestPopId: number; nearestKm: number }
  | { kind: "slow"; rttMs: number; boundMs: number };

export type Misrouting = { popId: number; reasons: MisroutedReason[] };

/**
 * The PoP a probe should reach: the nearest announcing undrained, else (every PoP drained,
 * when prepends cancel out) the nearest announcing at all. A drained PoP is left out while
 * others announce undrained, so the probes a drain moves on purpose are not "misrouted".
 */
function nearestExpected(probe: LatLon, pops: readonly MisroutedPop[]): { pop: MisroutedPop; km: number } | null {
  let best: { pop: MisroutedPop; km: number } | null = null;
  let bestAny: { pop: MisroutedPop; km: number } | null = null;
  for (const pop of pops) {
    if (pop.state !== "announced" && pop.state !== "drained") continue;
    const km = distanceKm(probe, pop);
    if (!bestAny || km < bestAny.km) bestAny = { pop, km };
    if (pop.state === "announced" && (!best || km < best.km)) best = { pop, km };
  }
  return best ?? bestAny;
}

/** Why a probe is misrouted, or null when it is not (or is unmatched: no PoP to judge). */
export function misrouting(probe: MisroutedProbe, pops: readonly MisroutedPop[], popsById: ReadonlyMap<number, MisroutedPop>): Misrouting | null {
  if (probe.popId === null) return null;
  const served = popsById.get(probe.popId);
  if (!served) return null;
  const servedKm = distanceKm(probe, served);
  const reasons: MisroutedReason[] = [];
  const nearest = nearestExpected(probe, pops);
  if (nearest && nearest.pop.id !== served.id && servedKm - nearest.km > MISROUTED_EXTRA_KM) {
    reasons.push({ kind: "farther", servedKm: Math.round(servedKm), nearestPopId: nearest.pop.id, nearestKm: Math.round(nearest.km) });
  }
  if (probe.rttMs !== null) {
    const boundMs = minRttMs(servedKm);
    if (probe.rttMs > RTT_BOUND_FACTOR * boundMs + ACCESS_ALLOWANCE_MS) {
      reasons.push({ kind: "slow", rttMs: probe.rttMs, boundMs: Math.round(boundMs * 10) / 10 });
    }
  }
  return reasons.length ? { popId: served.id, reasons } : null;
}

/** Every misrouted probe of a catchment, by its index in `probes`. */
export function findMisrouted(probes: readonly MisroutedProbe[], pops: readonly MisroutedPop[]): Map<number, Misrouting> {
  const popsById = new Map(pops.map((pop) => [pop.id, pop]));
  const result = new Map<number, Misrouting>();
  probes.forEach((probe, index) => {
    const found = misrouting(probe, pops, popsById);
    if (found) result.set(index, found);
  });
  return result;
}

/** One line for an operator, e.g. "5,320 km away; SIN1 is 12 km away" or "RTT 180 ms, bound 42 ms". */
export function describeReason(reason: MisroutedReason, popCode: (id: number) => string): string {
  if (reason.kind === "farther") {
    return `${reason.servedKm.toLocaleString("en-US")} km away; ${popCode(reason.nearestPopId)} is ${reason.nearestKm.toLocaleString("en-US")} km away`;
  }
  return `RTT ${Math.round(reason.rttMs)} ms, over ${RTT_BOUND_FACTOR}× the ${reason.boundMs} ms fibre bound`;
}
