import { describe, expect, it } from "vitest";
import { buildCapacityModel, type CatchmentAnswer, type PopLoad } from "../operations/capacity";
import type { AnnouncementSnapshot } from "../operations/plan";
import { recommendSites, removalCosts } from "./recommend";
import { evaluateScenario } from "./scenario";

const G = 1e9;
const pops: PopLoad[] = [
  { id: 1, code: "AAA1", lat: 50, lon: 0, capacityBps: 100 * G, currentBps: 30 * G },
  { id: 2, code: "BBB1", lat: 50, lon: 10, capacityBps: 100 * G, currentBps: 20 * G },
];
// Europe: ten probes beside each PoP, RTT rising 1 ms per 100 km as the calibration learns it.
// Africa: ten probes around Nairobi, with no PoP: they reach BBB1, 6,000 km away.
const europe = pops.flatMap((pop) => Array.from({ length: 10 }, (_, i) => ({ probeId: pop.id * 100 + i, lat: 50 + i * 0.2, lon: pop.lon + 0.5, country: "DE", popId: pop.id, rttMs: 4 + i * 0.4 })));
const africa = Array.from({ length: 10 }, (_, i) => ({ probeId: 900 + i, lat: -1.3 + i * 0.1, lon: 36.8, country: "KE", popId: 2, rttMs: 120 + i }));
const catchment: CatchmentAnswer[] = [...europe, ...africa].map((a) => ({ ...a, prefixId: 1 }));
const announcements: AnnouncementSnapshot[] = pops.map((pop) => ({ popId: pop.id, prefixId: 1, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: 0 }));
const candidates = [
  { name: "Paris", country: "FR", lat: 48.9, lon: 2.3 },
  { name: "Nairobi", country: "KE", lat: -1.3, lon: 36.8 },
  { name: "Lagos", country: "NG", lat: 6.5, lon: 3.4 },
  { name: "Denver", country: "US", lat: 39.7, lon: -105 },
];

describe("recommendSites", () => {
  const built = buildCapacityModel([1], announcements, catchment, pops);

  it("a region with no PoP gains most from a site there, for either objective, and the list says which region gains", () => {
    for (const objective of ["worst-region-p90", "traffic-p90"] as const) {
      const [best, second] = recommendSites(built, 1, candidates, { k: 1, objective });
      expect(best!.sites.map((site) => site.name)).toEqual(["Nairobi"]);
      expect(best!.gainMs).toBeGreaterThan(50);
      expect(best!.regions[0]).toMatchObject({ region: "africa" });
      expect(best!.movedProbes).toBe(10);
      expect(second!.gainMs).toBeLessThan(best!.gainMs);
    }
  });

  it("moves the probes the catchment model itself would send to that site", () => {
    const [best] = recommendSites(built, 1, candidates, { k: 1, objective: "worst-region-p90" });
    const nairobi = candidates[1]!;
    const byModel = evaluateScenario(built, { removed: [], prepends: new Map(), candidates: [{ id: -1, name: "Nairobi", location: nairobi, capacityBps: 10 * G, upstreamAsns: [] }] }, new Map([[1, new Set([1, 2])]]), 1);
    expect(best!.movedProbes).toBe(byModel.movedProbes);
    expect(best!.after).toBeCloseTo(Math.max(...byModel.regions.map((region) => region.after.p90Ms!)), 0);
  });

  it("chooses k sites greedily and reports progress to the end", () => {
    const progress: [number, number][] = [];
    const sets = recommendSites(built, 1, candidates, { k: 2, objective: "traffic-p90", onProgress: (done, total) => progress.push([done, total]) });
    expect(sets[0]!.sites.map((site) => site.name)[0]).toBe("Nairobi");
    expect(sets.every((set) => set.sites.length === 2 && set.sites[0]!.name === "Nairobi")).toBe(true);
    expect(progress.at(-1)).toEqual([8, 8]);
    expect(() => recommendSites(built, 1, candidates, { k: 6, objective: "traffic-p90" })).toThrow("k must be 1 to 5");
  });
});

describe("removalCosts", () => {
  it("ranks the PoPs by what losing each would cost, cheapest first", () => {
    const built = buildCapacityModel([1], announcements, catchment, pops);
    const costs = removalCosts(built, 1, new Set([1, 2]), "traffic-p90");
    expect(costs.map((cost) => cost.code)).toEqual(["AAA1", "BBB1"]);
    expect(costs[0]!.movedProbes).toBe(10);
    expect(costs[1]!.movedProbes).toBe(20);
    expect(costs[1]!.costMs).toBeGreaterThanOrEqual(costs[0]!.costMs);
  });
});
