import { describe, expect, it } from "vitest";
import { findCity, latLonOf } from "../../demo/cities";
import { demoFleetFacts } from "../../demo/fleet-facts";
import { DEFAULT_DEMO_SEED, generateDemoFleet } from "../../demo/fleet";
import type { EvidenceKind } from "../catchment/model";
import { buildCapacityModel, predictWithModel, weight, type CapacityModel, type CatchmentAnswer, type PopLoad } from "../operations/capacity";
import type { AnnouncementSnapshot } from "../operations/plan";
import { candidateLoads, evaluateScenario, modelScenario, type ResolvedScenario } from "./scenario";

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

describe("evaluateScenario against the full prediction of every prefix", () => {
  // Five PoPs on the equator, two prefixes (the second not announced at EEE1). Probe ids
  // interleave the PoPs, the first on the last PoP, so a walk of the probes in another order
  // than theirs would meet the receivers in another order and sum the loads in another order.
  const line: PopLoad[] = [1, 2, 3, 4, 5].map((id) => ({ id, code: `${"ABCDE"[id - 1]!.repeat(3)}1`, lat: 0, lon: id * 5, capacityBps: 100 * G, currentBps: (10 + id / 3) * G }));
  const answers: CatchmentAnswer[] = [1, 2].flatMap((prefixId) =>
    Array.from({ length: 60 }, (_, k) => {
      const pop = line[(k + 4) % (prefixId === 1 ? 5 : 4)]!;
      return { probeId: k, lat: 0.1 * (k % 3), lon: pop.lon + ((k % 7) - 3) * 0.4, country: "KE", asn: 64500 + (k % 5), prefixId, popId: pop.id, rttMs: 4 + (k % 9) };
    }),
  );
  // And a group of unplaced answers on CCC1, which moves no probe of the map but load.
  answers.push({ probeId: null, lat: null, lon: null, country: null, prefixId: 1, popId: 3, probes: 12 });
  const snapshots: AnnouncementSnapshot[] = answers
    .filter((answer, index, all) => all.findIndex((other) => other.prefixId === answer.prefixId && other.popId === answer.popId) === index)
    .map((answer) => ({ popId: answer.popId, prefixId: answer.prefixId, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: 0 }));
  const announcingNow = new Map([1, 2].map((prefixId) => [prefixId, new Set(snapshots.filter((s) => s.prefixId === prefixId).map((s) => s.popId))]));
  const built = buildCapacityModel([1, 2], snapshots, answers, line);

  /** The straightforward computation: every probe of every prefix decided, and the loads summed from them. */
  function expected(model: CapacityModel, scenario: ResolvedScenario, reviewed: number) {
    const leaving = new Map<number, number>();
    const arriving = new Map<number, number>();
    const movedBy: Record<EvidenceKind, number> = { observed: 0, inferred: 0, fallback: 0 };
    const catchment: { probeId: number; popId: number | null }[] = [];
    for (const [prefixId, prefix] of model.prefixes) {
      for (const probe of prefix.model.predict(modelScenario(scenario, announcingNow.get(prefixId)!)).probes) {
        const probeId = probe.probeId as number;
        if (prefixId === reviewed && probeId >= 0) {
          catchment.push({ probeId, popId: probe.popId as number | null });
          if (probe.popId !== probe.measuredPopId) movedBy[probe.evidence]++;
        }
        if (probe.popId === probe.measuredPopId) continue;
        const answer = prefix.byId.get(probeId)!;
        const bps = model.bpsPerAnswer(answer.popId) * weight(answer);
        leaving.set(answer.popId, (leaving.get(answer.popId) ?? 0) + bps);
        if (probe.popId !== null) arriving.set(probe.popId as number, (arriving.get(probe.popId as number) ?? 0) + bps);
      }
    }
    const loads = [...model.popById.values(), ...candidateLoads(scenario)].map((pop) => [pop.code, Math.max(0, pop.currentBps - (leaving.get(pop.id) ?? 0) + (arriving.get(pop.id) ?? 0))] as const);
    return { loads, movedBy, catchment };
  }

  const scenarios: Record<string, ResolvedScenario> = {
    "PoPs removed": { removed: [1, 5], prepends: new Map(), candidates: [] },
    "PoPs removed and drained": { removed: [5], prepends: new Map([[1, 2], [3, 1]]), candidates: [] },
    "a candidate added, a PoP removed, one drained": {
      removed: [2],
      prepends: new Map([[4, 3]]),
      candidates: [{ id: -1, name: "Candidate 1", location: { lat: 0, lon: 27 }, capacityBps: 40 * G, upstreamAsns: [64501] }],
    },
  };
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`${name}: the same catchment, evidence and loads`, () => {
      for (const reviewed of [1, 2]) {
        const result = evaluateScenario(built, scenario, announcingNow, reviewed);
        const want = expected(built, scenario, reviewed);
        expect(result.movedProbes + result.stranded).toBeGreaterThan(0);
        expect(result.movedBy).toEqual(want.movedBy);
        expect(result.catchment.map(({ probeId, popId }) => ({ probeId, popId }))).toEqual(want.catchment);
        expect(result.loads.map((load) => load.code)).toEqual(want.loads.map(([code]) => code));
        result.loads.forEach((load, i) => expect(load.afterBps).toBeCloseTo(want.loads[i]![1], 3));
      }
      // Loads from only the probes that move are those of the full walk, to the last bit and in the same order.
      const modelScenarios = new Map([1, 2].map((prefixId) => [prefixId, modelScenario(scenario, announcingNow.get(prefixId)!)]));
      const full = predictWithModel(built, modelScenarios, candidateLoads(scenario));
      const movedOnly = predictWithModel(built, modelScenarios, candidateLoads(scenario), { store: false });
      expect(movedOnly.capacity).toEqual(full.capacity);
      expect(movedOnly.leavingBps).toEqual(full.leavingBps);
    });
  }
});
