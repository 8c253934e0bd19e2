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

type UnitVector = [number, number, number];

function unitVector({ lat, lon }: LatLon): UnitVector {
  const phi = (lat * Math.PI) / 180;
  const lambda = (lon * Math.PI) / 180;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

/**
 * Judges probes against one prefix's PoPs. The PoP a probe should reach is the nearest
 * announcing undrained, else (every PoP drained: the prepends cancel out) the nearest
 * announcing at all. A drained PoP is left out while others announce undrained, so the
 * probes a drain moves on purpose are not "misrouted". The nearest is found by the largest
 * dot product of unit vectors (the smallest central angle): a few multiplications per PoP
 * instead of a haversine, which matters at 15,000 probes x hundreds of PoPs.
 */
export function misroutedJudge(pops: readonly MisroutedPop[]): (probe: MisroutedProbe) => Misrouting | null {
  const popsById = new Map(pops.map((pop) => [pop.id, pop]));
  const candidates = (states: readonly string[]) =>
    pops.filter((pop) => states.includes(pop.state)).map((pop) => ({ pop, vector: unitVector(pop) }));
  const undrained = candidates(["announced"]);
  const expected = undrained.length ? undrained : candidates(["drained"]);

  return (probe) => {
    if (probe.popId === null) return null;
    const served = popsById.get(probe.popId);
    if (!served) return null;
    const servedKm = distanceKm(probe, served);
    const reasons: MisroutedReason[] = [];

    const [x, y, z] = unitVector(probe);
    let nearest: MisroutedPop | undefined;
    let best = -Infinity;
    for (const { pop, vector } of expected) {
      const dot = x * vector[0] + y * vector[1] + z * vector[2];
      if (dot > best) {
        best = dot;
        nearest = pop;
      }
    }
    if (nearest && nearest.id !== served.id) {
      const nearestKm = distanceKm(probe, nearest);
      if (servedKm - nearestKm > MISROUTED_EXTRA_KM) {
        reasons.push({ kind: "farther", servedKm: Math.round(servedKm), nearestPopId: nearest.id, nearestKm: Math.round(nearestKm) });
      }
    }
    if (probe.rttMs !== null) {
      const boundMs = minRttMs(servedKm);
      if (probe.rttMs > RTT_BOUND_FACTOR * boundMs + ACCESS_ALLOWANCE_MS) {
        reasons.push({ kind: "slow", rttMs: probe.rttMs, boundMs: Math.round(boundMs * 10) / 10 });
      }
    }
    return reasons.length ? { popId: served.id, reasons } : null;
  };
}

/** Why one probe is misrouted, or null when it is not (or is unmatched: no PoP to judge). */
export function misrouting(probe: MisroutedProbe, pops: readonly MisroutedPop[]): Misrouting | null {
  return misroutedJudge(pops)(probe);
}

/** Every misrouted probe of a catchment, by its index in `probes`. */
export function findMisrouted(probes: readonly MisroutedProbe[], pops: readonly MisroutedPop[]): Map<number, Misrouting> {
  const judge = misroutedJudge(pops);
  const result = new Map<number, Misrouting>();
  probes.forEach((probe, index) => {
    const found = judge(probe);
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
