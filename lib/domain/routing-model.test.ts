import { describe, expect, it } from "vitest";
import { distanceKm, minRttMs } from "./geo";
import {
  PATH_INCONSISTENCY_SHARE,
  hashUnit,
  modelRttMs,
  nearestAnnouncing,
  routeProbe,
  type AnnouncementStateName,
  type RoutingPop,
} from "./routing-model";

const POPS: RoutingPop[] = [
  { id: "AMS1", lat: 52.37403, lon: 4.88969, state: "announced", upstreamAsns: [1299, 6939] },
  { id: "FRA1", lat: 50.11552, lon: 8.68417, state: "announced" },
  { id: "LHR1", lat: 51.50853, lon: -0.12574, state: "announced" },
  { id: "IAD1", lat: 39.04372, lon: -77.48749, state: "announced" },
  { id: "GRU1", lat: -23.5475, lon: -46.63611, state: "announced" },
  { id: "JNB1", lat: -26.20227, lon: 28.04363, state: "announced" },
  { id: "SIN1", lat: 1.28967, lon: 103.85007, state: "announced" },
  { id: "SYD1", lat: -33.86785, lon: 151.20732, state: "announced" },
];

// 5,000 probes spread evenly over the globe (a Fibonacci lattice): no randomness needed. Every
// third of those nearest AMS1 sits in the network of its transit.
const PROBES = Array.from({ length: 5000 }, (_, i) => {
  const point = { id: i + 1, lat: (Math.asin(1 - (2 * (i + 0.5)) / 5000) * 180) / Math.PI, lon: ((((i * 137.50776405) % 360) + 540) % 360) - 180 };
  return { ...point, asn: i % 3 === 0 && nearestAnnouncing(point, POPS)!.pop.id === "AMS1" ? 1299 : 64512 };
});

const SEED = 42;

function withState(id: string, state: AnnouncementStateName): RoutingPop[] {
  return POPS.map((pop) => (pop.id === id ? { ...pop, state } : pop));
}

function routeAll(pops: RoutingPop[], seed: number | string = SEED) {
  return PROBES.map((probe) => routeProbe(probe, pops, seed)?.popId);
}

describe("hashUnit", () => {
  it("is uniform enough in [0, 1)", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => hashUnit(`probe-${i}`));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((value) => value < 0.1).length).toBeGreaterThan(900);
    expect(values.filter((value) => value < 0.1).length).toBeLessThan(1100);
  });
});

describe("nearestAnnouncing", () => {
  it("finds the nearest PoP that is announced or drained, skipping withdrawn ones", () => {
    const amsterdam = { id: "p", lat: 52.3, lon: 4.9 };
    expect(nearestAnnouncing(amsterdam, POPS)).toMatchObject({ pop: { id: "AMS1" } });
    expect(nearestAnnouncing(amsterdam, withState("AMS1", "drained"))?.pop.id).toBe("AMS1");
    expect(nearestAnnouncing(amsterdam, withState("AMS1", "withdrawn"))?.pop.id).not.toBe("AMS1");
    expect(nearestAnnouncing(amsterdam, POPS)?.distanceKm).toBeCloseTo(distanceKm(amsterdam, POPS[0]!), 9);
  });

  it("is null when no PoP announces", () => {
    expect(nearestAnnouncing({ id: 1, lat: 0, lon: 0 }, [])).toBeNull();
    expect(nearestAnnouncing({ id: 1, lat: 0, lon: 0 }, POPS.map((pop) => ({ ...pop, state: "withdrawn" as const })))).toBeNull();
  });
});

describe("routeProbe", () => {
  it("is deterministic, and the seed changes which probes stray", () => {
    const routes = routeAll(POPS);
    expect(routeAll(POPS)).toEqual(routes);
    const other = routeAll(POPS, "another seed");
    expect(other.filter((popId, i) => popId !== routes[i]).length).toBeGreaterThan(100);
  });

  it("is null when no PoP announces", () => {
    expect(routeProbe(PROBES[0]!, [], SEED)).toBeNull();
    expect(routeProbe(PROBES[0]!, POPS.map((pop) => ({ ...pop, state: "withdrawn" as const })), SEED)).toBeNull();
  });

  it("sends about 10% of probes past their nearest PoP, to the 2nd or 3rd nearest", () => {
    let strays = 0;
    for (const probe of PROBES) {
      const popId = routeProbe(probe, POPS, SEED)!.popId;
      const ranked = [...POPS].sort((a, b) => distanceKm(probe, a) - distanceKm(probe, b)).map((pop) => pop.id);
      if (popId === ranked[0]) continue;
      strays++;
      expect(ranked.slice(1, 3)).toContain(popId);
    }
    const share = strays / PROBES.length;
    expect(share).toBeGreaterThanOrEqual(0.07);
    expect(share).toBeLessThanOrEqual(0.13);
    expect(share).toBeCloseTo(PATH_INCONSISTENCY_SHARE, 1);
  });

  it("moves every probe off a withdrawn PoP, and no other probe", () => {
    const before = routeAll(POPS);
    const after = routeAll(withState("FRA1", "withdrawn"));
    expect(after).not.toContain("FRA1");
    before.forEach((popId, i) => {
      if (popId !== "FRA1") expect(after[i]).toBe(popId);
    });
  });

  it("drains a PoP of the probes that have another route, but keeps those behind its own upstream", () => {
    const before = routeAll(POPS);
    const after = routeAll(withState("AMS1", "drained"));
    const nearestAms = PROBES.map((probe) => nearestAnnouncing(probe, POPS)!.pop.id === "AMS1");

    const wasThere = before.flatMap((popId, i) => (popId === "AMS1" ? [i] : []));
    const stayed = wasThere.filter((i) => after[i] === "AMS1");
    expect(stayed.length).toBeGreaterThan(0);
    expect(stayed.length).toBeLessThan(wasThere.length);
    // Exactly the probes whose network is one of its upstreams stay.
    expect(stayed).toEqual(wasThere.filter((i) => nearestAms[i] && PROBES[i]!.asn === 1299));
    expect(stayed.length).toBe(PROBES.filter((probe) => probe.asn === 1299).length);
    // Those that left went to their nearest undrained PoP; probes elsewhere did not move.
    const undrained = POPS.filter((pop) => pop.id !== "AMS1");
    for (const i of wasThere) {
      if (after[i] !== "AMS1") expect(after[i]).toBe(nearestAnnouncing(PROBES[i]!, undrained)!.pop.id);
    }
    before.forEach((popId, i) => {
      if (popId !== "AMS1") expect(after[i]).toBe(popId);
    });
  });

  it("sends a probe in a PoP's upstream network to the nearest PoP of that upstream, drained or not", () => {
    const amsterdam = { id: "in-1299", lat: 52.35, lon: 4.9, asn: 1299 };
    const fraAlso = POPS.map((pop) => (pop.id === "FRA1" ? { ...pop, upstreamAsns: [1299] } : pop));
    const on = (pops: RoutingPop[]) => routeProbe(amsterdam, pops, SEED)!.popId;
    expect(on(fraAlso)).toBe("AMS1");
    const withAms = (state: AnnouncementStateName) => fraAlso.map((pop) => (pop.id === "AMS1" ? { ...pop, state } : pop));
    expect(on(withAms("drained"))).toBe("AMS1");
    // London is nearer than Frankfurt, but the customer route wins.
    expect(distanceKm(amsterdam, POPS[2]!)).toBeLessThan(distanceKm(amsterdam, POPS[1]!));
    expect(on(withAms("withdrawn"))).toBe("FRA1");
    // Without that upstream anywhere else, it goes where other probes go: the nearest.
    expect(routeProbe(amsterdam, withState("AMS1", "withdrawn"), SEED)!.popId).toBe("LHR1");
  });

  it("moves nothing when every announcing PoP is drained", () => {
    expect(routeAll(POPS.map((pop) => ({ ...pop, state: "drained" as const })))).toEqual(routeAll(POPS));
  });

  it("gives an RTT of the fibre floor plus 2 to 25 ms, varied by sample but never rerouted", () => {
    for (const probe of PROBES.slice(0, 500)) {
      const first = routeProbe(probe, POPS, SEED, "t1")!;
      const second = routeProbe(probe, POPS, SEED, "t2")!;
      expect(second.popId).toBe(first.popId);
      const pop = POPS.find((candidate) => candidate.id === first.popId)!;
      const floor = minRttMs(distanceKm(probe, pop));
      expect(first.rttMs).toBeGreaterThanOrEqual(floor + 2 - 0.05);
      expect(first.rttMs).toBeLessThanOrEqual(floor + 25 + 0.05);
      expect(modelRttMs(probe, pop, SEED, "t1")).toBe(first.rttMs);
    }
  });
});
