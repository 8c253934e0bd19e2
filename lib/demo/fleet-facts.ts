// The demo fleet as the placement review and the capacity estimate read a fleet from the
// database: PoPs with their load, the latest answer of each probe per prefix, announcements.
// For unit tests and benches that need the demo's figures without a database.
import type { AnnouncementSnapshot } from "../domain/operations/plan";
import type { CatchmentAnswer, PopLoad } from "../domain/operations/capacity";
import type { DemoFleet } from "./fleet";

export type FleetFacts = {
  /** Ids are 1-based indexes into the fleet's lists. `currentBps`: the PoP's peak traffic sample. */
  pops: PopLoad[];
  catchment: CatchmentAnswer[];
  announcements: AnnouncementSnapshot[];
  prefixes: Map<number, { cidr: string; safetyFloor: number }>;
  popCodes: Map<number, string>;
};

export function demoFleetFacts(fleet: DemoFleet): FleetFacts {
  const peak = new Map<number, number>();
  for (const sample of fleet.trafficSamples) peak.set(sample.popIndex, Math.max(peak.get(sample.popIndex) ?? 0, sample.bps));
  const pops: PopLoad[] = fleet.pops.map((pop, index) => ({
    id: index + 1,
    code: pop.code,
    lat: pop.latitude,
    lon: pop.longitude,
    capacityBps: pop.capacityGbps * 1e9,
    currentBps: peak.get(index) ?? 0,
    upstreamAsns: pop.upstreams.map((upstream) => upstream.peerAsn),
  }));
  const latest = new Map<string, (typeof fleet.measurements)[number]>();
  for (const m of fleet.measurements) {
    const key = `${m.probeIndex}/${m.prefixIndex}`;
    const seen = latest.get(key);
    if (!seen || seen.measuredAt < m.measuredAt) latest.set(key, m);
  }
  const catchment: CatchmentAnswer[] = [...latest.values()].map((m) => {
    const probe = fleet.probes[m.probeIndex]!;
    return {
      probeId: m.probeIndex + 1,
      lat: probe.latitude,
      lon: probe.longitude,
      country: probe.country,
      asn: fleet.prefixes[m.prefixIndex]!.family === 6 ? probe.asnV6 : probe.asnV4,
      prefixId: m.prefixIndex + 1,
      popId: m.popIndex + 1,
      rttMs: m.rttMs,
      measuredAt: m.measuredAt,
    };
  });
  const announcements: AnnouncementSnapshot[] = fleet.announcements.map((a) => ({
    popId: a.popIndex + 1,
    prefixId: a.prefixIndex + 1,
    desiredState: a.desiredState,
    prependCount: 0,
    observedState: a.observedState,
    observedPrepend: 0,
  }));
  return {
    pops,
    catchment,
    announcements,
    prefixes: new Map(fleet.prefixes.map((prefix, index) => [index + 1, { cidr: prefix.cidr, safetyFloor: prefix.safetyFloor }])),
    popCodes: new Map(fleet.pops.map((pop, index) => [index + 1, pop.code])),
  };
}
