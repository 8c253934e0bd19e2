// Which PoP a probe lands on: the model behind the demo fleet's catchment, the probe
// simulator and the drain preview's capacity estimate. Pure and deterministic: the
// same probe, PoPs, states and seed always give the same answer.
//
// The model, in BGP terms:
// - Withdrawn PoPs do not exist for routing. The others are ranked by great-circle
//   distance, which stands in for AS-path length.
// - Path inconsistency: about 10% of probes prefer their 2nd or 3rd nearest PoP, as real
//   routes follow business relationships, not geography.
// - Customer routes: a probe whose network (its ASN) is an upstream of some announcing PoPs
//   hears the prefix from its own customer there, and networks prefer a customer's route to
//   any peer or transit route whatever its length: it lands on the nearest of those PoPs,
//   drained or not. This is data an operator has (probe ASNs, the PoPs' upstream sessions),
//   so the catchment model can learn it.
// - A drain (AS-path prepending) moves every other probe to its nearest undrained PoP. When
//   every announcing PoP is drained the prepends cancel out and nothing moves.
// Because the preferences come from geography and hashes, never from other probes,
// draining or withdrawing one PoP moves only probes that were on that PoP.
import { distanceKm, minRttMs } from "./geo";

export type AnnouncementStateName = "announced" | "drained" | "withdrawn";

export type RoutingProbe = { id: string | number; lat: number; lon: number; asn?: number | null };

export type RoutingPop = { id: string | number; lat: number; lon: number; state: AnnouncementStateName; upstreamAsns?: readonly number[] };

export type RoutedProbe<Id> = { popId: Id; rttMs: number };

/** Share of probes whose best path leads past their nearest PoP. */
export const PATH_INCONSISTENCY_SHARE = 0.1;
/** Last-mile delay per probe (fixed) plus queueing per sample: together 2 to 25 ms. */
export const LAST_MILE_MS = { min: 2, max: 20 } as const;
export const QUEUEING_MAX_MS = 5;

/** A uniform number in [0, 1) from a string: FNV-1a, then murmur3's finaliser to spread the bits. */
export function hashUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

type Ranked<P> = { pop: P; km: number };

function rankByDistance<P extends RoutingPop>(probe: RoutingProbe, pops: readonly P[]): Ranked<P>[] {
  return pops
    .map((pop) => ({ pop, km: distanceKm(probe, pop) }))
    .sort((a, b) => a.km - b.km || (String(a.pop.id) < String(b.pop.id) ? -1 : 1));
}

/** The nearest PoP that still announces (announced or drained), or null when none does. */
export function nearestAnnouncing<P extends RoutingPop>(
  probe: RoutingProbe,
  pops: readonly P[],
): { pop: P; distanceKm: number } | null {
  let best: Ranked<P> | null = null;
  for (const pop of pops) {
    if (pop.state === "withdrawn") continue;
    const km = distanceKm(probe, pop);
    if (!best || km < best.km || (km === best.km && String(pop.id) < String(best.pop.id))) best = { pop, km };
  }
  return best && { pop: best.pop, distanceKm: best.km };
}

/**
 * The PoP a probe lands on and the RTT it measures, or null when no PoP announces.
 * `sample` varies only the queueing delay (for example the measurement time), never the route.
 */
export function routeProbe<P extends RoutingPop>(
  probe: RoutingProbe,
  pops: readonly P[],
  seed: number | string,
  sample: number | string = "",
): RoutedProbe<P["id"]> | null {
  const key = `${seed}|${probe.id}|`;
  const ranked = rankByDistance(probe, pops);
  const announcing = ranked.filter((entry) => entry.pop.state !== "withdrawn");
  const nearest = announcing[0];
  if (!nearest) return null;

  const customerRoute = probe.asn == null ? undefined : announcing.find((entry) => entry.pop.upstreamAsns?.includes(probe.asn!));
  if (customerRoute) return { popId: customerRoute.pop.id, rttMs: rttWithJitter(key, customerRoute.km, sample) };

  let chosen = nearest;
  if (hashUnit(key + "path") < PATH_INCONSISTENCY_SHARE) {
    // The target is picked among all PoPs, so withdrawing another PoP never changes it.
    const target = ranked[Math.min(hashUnit(key + "path-rank") < 0.5 ? 1 : 2, ranked.length - 1)];
    if (target && target.pop.state !== "withdrawn") chosen = target;
  }
  if (chosen.pop.state === "drained") {
    const undrained = announcing.find((entry) => entry.pop.state === "announced");
    if (undrained) chosen = undrained;
  }

  return { popId: chosen.pop.id, rttMs: rttWithJitter(key, chosen.km, sample) };
}

/** The RTT the model gives a probe to a PoP it lands on: the fibre floor plus last mile and queueing. */
export function modelRttMs(
  probe: RoutingProbe,
  pop: Pick<RoutingPop, "lat" | "lon">,
  seed: number | string,
  sample: number | string = "",
): number {
  return rttWithJitter(`${seed}|${probe.id}|`, distanceKm(probe, pop), sample);
}

function rttWithJitter(key: string, km: number, sample: number | string): number {
  const lastMile = LAST_MILE_MS.min + (LAST_MILE_MS.max - LAST_MILE_MS.min) * hashUnit(key + "last-mile");
  const queueing = QUEUEING_MAX_MS * hashUnit(`${key}queue|${sample}`);
  return Math.round((minRttMs(km) + lastMile + queueing) * 10) / 10;
}
