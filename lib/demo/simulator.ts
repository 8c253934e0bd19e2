// The live demo fleet's probes, as pure functions: which probes measure in a time window,
// what each one's answer is given the PoPs' announcement states, and the traffic each PoP
// carries. scripts/probe-simulator.ts does the I/O (agents, ingest API, traffic table).
//
// Routing follows lib/domain/routing-model.ts, the model the demo fleet's history was made
// with: a withdrawn PoP loses all its probes; a drained one keeps only those behind its own
// upstreams; about 10% of probes are routed past their nearest PoP.
import { hashUnit, routeProbe, type AnnouncementStateName } from "@/lib/domain/routing-model";
import { diurnal } from "./fleet";

/** `asn`: the probe's network; a probe in one of its nearest PoP's upstreams stays there through a drain. */
export type SimProbe = { externalId: string; lat: number; lon: number; asn: number | null };
export type SimPop = { code: string; lat: number; lon: number; identity: string; upstreamAsns: readonly number[] };
/** Announcement state per PoP code, for one prefix. A PoP missing from it does not announce. */
export type PrefixStates = ReadonlyMap<string, AnnouncementStateName>;

/** One answer, in the simple ingest format (NDJSON): the same path real probes take. */
export type SimMeasurement = { probe_id: string; answer: string; rtt_ms: number; timestamp: string; target: string };

/**
 * The probes that measure in [fromMs, toMs): each measures once per cycle, at its own fixed
 * phase (as RIPE Atlas probes spread their queries), so a window of the cycle's length holds
 * every probe exactly once.
 */
export function probesDue<P extends SimProbe>(probes: readonly P[], seed: number, fromMs: number, toMs: number, cycleMs: number): P[] {
  if (toMs - fromMs >= cycleMs) return [...probes];
  return probes.filter((probe) => {
    const phase = Math.floor(hashUnit(`${seed}|phase|${probe.externalId}`) * cycleMs);
    const next = fromMs + ((phase - (fromMs % cycleMs) + cycleMs) % cycleMs);
    return next < toMs;
  });
}

function routingPops(pops: readonly SimPop[], states: PrefixStates) {
  return pops.map((pop) => ({ id: pop.code, lat: pop.lat, lon: pop.lon, upstreamAsns: pop.upstreamAsns, state: states.get(pop.code) ?? "withdrawn" }));
}

function routingProbe(probe: SimProbe) {
  return { id: probe.externalId, lat: probe.lat, lon: probe.lon, asn: probe.asn };
}

/** What each probe hears for one prefix now; a probe no PoP answers sends nothing (its query times out). */
export function measurePrefix(
  probes: readonly SimProbe[],
  pops: readonly SimPop[],
  states: PrefixStates,
  target: string,
  seed: number,
  at: Date,
): SimMeasurement[] {
  const routing = routingPops(pops, states);
  const identity = new Map(pops.map((pop) => [pop.code, pop.identity]));
  const measurements: SimMeasurement[] = [];
  for (const probe of probes) {
    const routed = routeProbe(routingProbe(probe), routing, seed, `${target}@${at.getTime()}`);
    if (!routed) continue;
    measurements.push({ probe_id: probe.externalId, answer: identity.get(routed.popId)!, rtt_ms: routed.rttMs, timestamp: at.toISOString(), target });
  }
  return measurements;
}

/** Where every probe lands for each prefix: PoP code to the probes it serves, summed over prefixes. */
export function catchmentCounts(
  probes: readonly SimProbe[],
  pops: readonly SimPop[],
  statesByPrefix: readonly PrefixStates[],
  seed: number,
): Map<string, SimProbe[]> {
  const served = new Map<string, SimProbe[]>();
  for (const states of statesByPrefix) {
    const routing = routingPops(pops, states);
    for (const probe of probes) {
      const routed = routeProbe(routingProbe(probe), routing, seed);
      if (!routed) continue;
      const list = served.get(routed.popId) ?? [];
      list.push(probe);
      served.set(routed.popId, list);
    }
  }
  return served;
}

/**
 * Each (probe, prefix) answer stands for the same slice of the fleet's traffic at its local
 * evening peak, following the probe's own local time: a PoP's traffic is what its catchment
 * sends, so a drain moves traffic as it moves probes.
 */
export function trafficByPop(served: ReadonlyMap<string, readonly SimProbe[]>, peakBpsPerAnswer: number, at: Date): Map<string, number> {
  const traffic = new Map<string, number>();
  for (const [code, probes] of served) {
    let bps = 0;
    for (const probe of probes) bps += peakBpsPerAnswer * diurnal(at.getTime(), probe.lon);
    traffic.set(code, Math.round(bps));
  }
  return traffic;
}

/** The per-answer peak that makes the model's traffic equal `totalBps` now, so live samples continue the history. */
export function calibratePeakBpsPerAnswer(served: ReadonlyMap<string, readonly SimProbe[]>, totalBps: number, at: Date): number {
  let weight = 0;
  for (const probes of served.values()) for (const probe of probes) weight += diurnal(at.getTime(), probe.lon);
  return weight > 0 ? totalBps / weight : 0;
}
