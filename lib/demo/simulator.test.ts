import { describe, expect, it } from "vitest";
import { DEFAULT_DEMO_SEED } from "./fleet";
import { calibratePeakBpsPerAnswer, catchmentCounts, measurePrefix, probesDue, trafficByPop, type SimPop, type SimProbe } from "./simulator";

const seed = DEFAULT_DEMO_SEED;
const pops: SimPop[] = [
  { code: "AMS1", lat: 52.37, lon: 4.9, identity: "ams1-a.ns.example", upstreamAsns: [1299, 6939] },
  { code: "FRA1", lat: 50.11, lon: 8.68, identity: "fra1-a.ns.example", upstreamAsns: [3356] },
  { code: "LHR1", lat: 51.47, lon: -0.45, identity: "lhr1-a.ns.example", upstreamAsns: [174] },
  { code: "JFK1", lat: 40.64, lon: -73.78, identity: "jfk1-a.ns.example", upstreamAsns: [2914] },
];
// 400 probes spread over western Europe and the US east coast; every tenth in Europe is in AMS1's transit's network.
const probes: SimProbe[] = Array.from({ length: 400 }, (_, i) => ({
  externalId: String(1000 + i),
  lat: i % 2 ? 45 + (i % 13) : 35 + (i % 9),
  lon: i % 2 ? -5 + (i % 17) : -80 + (i % 11),
  asn: i % 10 === 1 ? 1299 : 64512 + (i % 7),
}));
const all = (state: "announced" | "drained" | "withdrawn", except?: [string, "announced" | "drained" | "withdrawn"]) =>
  new Map(pops.map((pop) => [pop.code, except && pop.code === except[0] ? except[1] : state]));
const at = new Date("2026-11-25T20:00:00Z");
const countOn = (code: string, states: Map<string, "announced" | "drained" | "withdrawn">) =>
  measurePrefix(probes, pops, states, "192.0.2.0/24", seed, at).filter((m) => m.answer.startsWith(code.toLowerCase())).length;

describe("probesDue", () => {
  it("has every probe measure exactly once per cycle, whatever the ticks", () => {
    const cycle = 60_000;
    const start = 1_764_000_003_000;
    const seen = new Map<string, number>();
    for (let t = start; t < start + cycle; t += 5_000) {
      for (const probe of probesDue(probes, seed, t, t + 5_000, cycle)) seen.set(probe.externalId, (seen.get(probe.externalId) ?? 0) + 1);
    }
    expect(seen.size).toBe(probes.length);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    // A tick holds about its share of the cycle.
    const oneTick = probesDue(probes, seed, start, start + 5_000, cycle).length;
    expect(oneTick).toBeGreaterThan(10);
    expect(oneTick).toBeLessThan(70);
  });
});

describe("measurePrefix", () => {
  it("answers with the identity of the PoP each probe lands on, in the ingest format", () => {
    const [first] = measurePrefix(probes, pops, all("announced"), "192.0.2.0/24", seed, at);
    expect(first).toMatchObject({ probe_id: "1000", target: "192.0.2.0/24", timestamp: at.toISOString() });
    expect(pops.map((pop) => pop.identity)).toContain(first!.answer);
    expect(first!.rtt_ms).toBeGreaterThan(0);
  });

  it("a withdrawn PoP loses every probe; a drained one keeps only those in its upstreams' networks", () => {
    const before = countOn("AMS1", all("announced"));
    expect(before).toBeGreaterThan(20);
    expect(countOn("AMS1", all("announced", ["AMS1", "withdrawn"]))).toBe(0);
    const drained = measurePrefix(probes, pops, all("announced", ["AMS1", "drained"]), "192.0.2.0/24", seed, at).filter((m) => m.answer.startsWith("ams1"));
    expect(drained.length).toBeGreaterThan(0);
    expect(drained.length).toBeLessThan(before / 2);
    expect(drained.every((m) => probes.find((probe) => probe.externalId === m.probe_id)!.asn === 1299)).toBe(true);
  });

  it("no answer at all when no PoP announces the prefix", () => {
    expect(measurePrefix(probes, pops, all("withdrawn"), "192.0.2.0/24", seed, at)).toEqual([]);
  });
});

describe("traffic", () => {
  it("follows the catchment: a drain moves traffic to other PoPs and keeps the total", () => {
    const normal = catchmentCounts(probes, pops, [all("announced")], seed);
    const peak = calibratePeakBpsPerAnswer(normal, 10e9, at);
    const before = trafficByPop(normal, peak, at);
    const total = (traffic: Map<string, number>) => [...traffic.values()].reduce((sum, bps) => sum + bps, 0);
    expect(total(before)).toBeCloseTo(10e9, -3);

    const drained = trafficByPop(catchmentCounts(probes, pops, [all("announced", ["AMS1", "drained"])], seed), peak, at);
    expect(drained.get("AMS1")!).toBeLessThan(before.get("AMS1")! / 2);
    expect(total(drained)).toBeCloseTo(total(before), -3);
  });
});
