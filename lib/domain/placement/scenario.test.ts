import { describe, expect, it } from "vitest";
import { findCity, latLonOf } from "../../demo/cities";
import { demoFleetFacts } from "../../demo/fleet-facts";
import { DEFAULT_DEMO_SEED, generateDemoFleet } from "../../demo/fleet";
import { buildCapacityModel, type CatchmentAnswer, type PopLoad } from "../operations/capacity";
import type { AnnouncementSnapshot } from "../operations/plan";
import { evaluateScenario, type ResolvedScenario } from "./scenario";

const G = 1e9;
const pops: PopLoad[] = [
  { id: 1, code: "AAA1", lat: 0, lon: 0, capacityBps: 100 * G, currentBps: 30 * G },
  { id: 2, code: "BBB1", lat: 0, lon: 10, capacityBps: 100 * G, currentBps: 20 * G },
];
// Ten probes beside each PoP, and ten far east (lon 40) that reach BBB1 over 3,300 km.
const near = (pop: PopLoad) => Array.from({ length: 10 }, (_, i) => ({ probeId: pop.id * 100 + i, lat: 0.2, lon: pop.lon + 0.1 * i, popId: pop.id, rttMs: 5 + i * 0.5 }));
const far = Array.from({ length: 10 }, (_, i) => ({ probeId: 900 + i, lat: 0.2, lon: 40 + 0.1 * i, popId: 2, rttMs: 70 + i }));
const catchment: CatchmentAnswer[] = [...near(pops[0]!), ...near(pops[1]!), ...far].map((a) => ({ ...a, country: "KE", prefixId: 1 }));
const announcements: AnnouncementSnapshot[] = pops.map((pop) => ({ popId: pop.id, prefixId: 1, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: 0 }));
const announcing = new Map([[1, new Set([1, 2])]]);
const none: ResolvedScenario = { removed: [], prepends: new Map(), candidates: [] };

describe("evaluateScenario", () => {
  it("changes nothing for an empty scenario", () => {
    const result = evaluateScenario(buildCapacityModel([1], announcements, catchment, pops), none, announcing, 1);
    expect(result).toMatchObject({ movedProbes: 0, stranded: 0 });
    expect(result.regions).toEqual([{ region: "africa", probes: 30, before: { p50Ms: 8.5, p90Ms: 76 }, after: { p50Ms: 8.5, p90Ms: 76 } }]);
    expect(result.loads.map((load) => [load.code, load.afterBps])).toEqual([["AAA1", 30 * G], ["BBB1", 20 * G]]);
  });

  it("a candidate PoP takes the far probes: the region's p90 falls, and it takes their share of the load", () => {
    const candidate = { id: -1, name: "Candidate 1", location: { lat: 0, lon: 40.5 }, capacityBps: 40 * G, upstreamAsns: [] };
    const result = evaluateScenario(buildCapacityModel([1], announcements, catchment, pops), { ...none, candidates: [candidate] }, announcing, 1);
    expect(result.movedProbes).toBe(10);
    expect(result.catchment.filter((probe) => probe.popId === -1).map((probe) => probe.probeId)).toEqual(far.map((probe) => probe.probeId));
    const [africa] = result.regions;
    expect(africa!.before.p90Ms).toBe(76);
    expect(africa!.after.p90Ms!).toBeLessThan(20);
    // BBB1's 20 Gbit/s are spread over its 20 probes: the 10 far ones take half to the candidate.
    expect(result.loads.map((load) => [load.code, load.afterBps, load.candidate])).toEqual([["AAA1", 30 * G, false], ["BBB1", 10 * G, false], ["Candidate 1", 10 * G, true]]);
  });

  it("a removed PoP's probes and load go to the PoPs left", () => {
    const result = evaluateScenario(buildCapacityModel([1], announcements, catchment, pops), { ...none, removed: [2] }, announcing, 1);
    expect(result.movedProbes).toBe(20);
    expect(result.loads.map((load) => [load.code, load.afterBps])).toEqual([["AAA1", 50 * G], ["BBB1", 0]]);
  });
});

describe("a scenario on the demo fleet", () => {
  it("a PoP at Nairobi lowers Africa's p90", () => {
    const facts = demoFleetFacts(generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now: new Date("2026-12-05T12:00:00Z") }));
    const prefixIds = [...facts.prefixes.keys()];
    const built = buildCapacityModel(prefixIds, facts.announcements, facts.catchment, facts.pops);
    const announcingNow = new Map(prefixIds.map((id) => [id, new Set(facts.announcements.filter((a) => a.prefixId === id).map((a) => a.popId))]));
    const nairobi = { id: -1, name: "Nairobi", location: latLonOf(findCity("Nairobi", "KE")), capacityBps: 40 * G, upstreamAsns: [] };
    const result = evaluateScenario(built, { ...none, candidates: [nairobi] }, announcingNow, 1);
    const africa = result.regions.find((region) => region.region === "africa")!;
    expect(africa.after.p90Ms!).toBeLessThan(africa.before.p90Ms!);
    expect(result.loads.find((load) => load.candidate)!.afterBps).toBeGreaterThan(0);
    console.log(`demo scenario, PoP at Nairobi: Africa p90 ${africa.before.p90Ms} -> ${africa.after.p90Ms?.toFixed(0)} ms, ${result.movedProbes} probes move`);
  });
});
