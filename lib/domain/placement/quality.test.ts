import { describe, expect, it } from "vitest";
import { distanceKm } from "../geo";
import { MIN_PROBES_TO_RANK, percentile, serviceQuality, type QualityAnswer, type QualityPop } from "./quality";

const A: QualityPop = { id: 1, code: "AAA1", location: { lat: 0, lon: 0 } };
const B: QualityPop = { id: 2, code: "BBB1", location: { lat: 0, lon: 10 } };
const answer = (probeId: number, lon: number | null, popId: number, rttMs: number | null, country = "KE", asn: number | null = 64512): QualityAnswer => ({
  probeId,
  location: lon === null ? null : { lat: 0, lon },
  country,
  asn,
  popId,
  rttMs,
});

describe("percentile", () => {
  it("is the nearest rank: always a measured value", () => {
    expect(percentile([10, 20, 100], 0.5)).toBe(20);
    expect(percentile([10, 20, 100], 0.9)).toBe(100);
    expect(percentile([10, 20, 100], 0.01)).toBe(10);
    expect(percentile([5], 0.99)).toBe(5);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe("serviceQuality", () => {
  it("measures inflation against the nearest announcing PoP: extra km to the PoP that served, RTT over the fibre bound", () => {
    const quality = serviceQuality([answer(1, 1, A.id, 20), answer(2, 2, B.id, 100), answer(3, 9, B.id, 10, "TZ")], [A, B]);
    const km = (lon: number, pop: QualityPop) => distanceKm({ lat: 0, lon }, pop.location);
    const [p1, p2, p3] = quality.probes;
    expect(p1).toMatchObject({ probeId: 1, nearestPopId: A.id, extraKm: 0 });
    expect(p1!.extraRttMs).toBeCloseTo(20 - (2 * km(1, A)) / 200, 6);
    // Probe 2 is 2 degrees from A but was served by B, 8 degrees away.
    expect(p2).toMatchObject({ probeId: 2, popId: B.id, nearestPopId: A.id });
    expect(p2!.extraKm).toBeCloseTo(km(2, B) - km(2, A), 6);
    expect(p2!.extraRttMs).toBeCloseTo(100 - (2 * km(2, A)) / 200, 6);
    expect(p3).toMatchObject({ nearestPopId: B.id, extraKm: 0 });

    expect(quality.overall).toMatchObject({ probes: 3, withRtt: 3, p50Ms: 20, p90Ms: 100, p99Ms: 100 });
    expect(quality.overall.notNearestShare).toBeCloseTo(1 / 3, 9);
    expect(quality.regions).toEqual([expect.objectContaining({ key: "africa", probes: 3 })]);
    expect(quality.countries.map((c) => [c.key, c.probes, c.p90Ms])).toEqual([["KE", 2, 100], ["TZ", 1, 10]]);
  });

  it("counts a probe without a location or RTT in what it can", () => {
    const quality = serviceQuality([answer(1, null, A.id, 30), answer(2, 1, A.id, null)], [A, B]);
    expect(quality.overall).toMatchObject({ probes: 2, withRtt: 1, p50Ms: 30, notNearestShare: 0, medianExtraRttMs: null });
    expect(quality.probes.map((p) => p.probeId)).toEqual([2]);
  });

  it(`ranks the worst countries and networks by p90 RTT, only with ${MIN_PROBES_TO_RANK} probes or more`, () => {
    const many = (first: number, count: number, country: string, asn: number, rtt: number) =>
      Array.from({ length: count }, (_, i) => answer(first + i, 1, A.id, rtt + i, country, asn));
    const quality = serviceQuality([...many(100, 5, "KE", 1, 50), ...many(200, 6, "TZ", 2, 150), ...many(300, 4, "UG", 3, 900)], [A, B]);
    expect(quality.worstCountries.map((c) => c.key)).toEqual(["TZ", "KE"]);
    expect(quality.worstAsns.map((c) => [c.key, c.p90Ms])).toEqual([["AS2", 155], ["AS1", 54]]);
  });
});
