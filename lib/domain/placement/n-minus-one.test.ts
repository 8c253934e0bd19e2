import { describe, expect, it } from "vitest";
import { demoFleetFacts } from "../../demo/fleet-facts";
import { DEFAULT_DEMO_SEED, generateDemoFleet } from "../../demo/fleet";
import { buildCapacityModel, predictWithModel, type CatchmentAnswer, type PopLoad } from "../operations/capacity";
import type { AnnouncementSnapshot } from "../operations/plan";
import { nMinusOne, nMinusOneAfter } from "./n-minus-one";
import type { ResolvedScenario } from "./scenario";

const G = 1e9;
// Three PoPs on the equator; ten probes beside each. Routing follows distance (no history, no
// upstream ties): a lost PoP's probes go to the nearest one left.
const pops: PopLoad[] = [
  { id: 1, code: "AAA1", lat: 0, lon: 0, capacityBps: 200 * G, currentBps: 70 * G },
  { id: 2, code: "BBB1", lat: 0, lon: 10, capacityBps: 100 * G, currentBps: 20 * G },
  { id: 3, code: "CCC1", lat: 0, lon: 60, capacityBps: 100 * G, currentBps: 10 * G },
];
const catchment: CatchmentAnswer[] = pops.flatMap((pop) =>
  Array.from({ length: 10 }, (_, i) => ({ probeId: pop.id * 100 + i, lat: 0.5 + i * 0.01, lon: pop.lon + 0.5, country: "KE", prefixId: 1, popId: pop.id, rttMs: 10 + i })),
);
const announcements: AnnouncementSnapshot[] = pops.map((pop) => ({ popId: pop.id, prefixId: 1, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: 0 }));
const codes = new Map(pops.map((pop) => [pop.id, pop.code]));

describe("nMinusOne", () => {
  it("flags the PoP whose loss overloads its neighbour, worst first, with the load each receiver would take", () => {
    const built = buildCapacityModel([1], announcements, catchment, pops);
    const rows = nMinusOne(built, announcements, new Map([[1, { cidr: "192.0.2.0/24", safetyFloor: 2 }]]), codes);
    expect(rows.map((row) => [row.code, row.breaks])).toEqual([["AAA1", true], ["BBB1", false], ["CCC1", false]]);
    const [a, b, c] = rows;
    // AAA1's 70 Gbit/s go to BBB1: 90 of its 100 Gbit/s.
    expect(a).toMatchObject({ movedProbes: 10, stranded: 0, highest: { code: "BBB1", utilisation: 0.9 }, overLimit: [{ code: "BBB1", utilisation: 0.9 }], floorBreach: null });
    expect(a!.receivers).toEqual([expect.objectContaining({ code: "BBB1", predictedBps: 90 * G, probes: 10 })]);
    // BBB1's 20 go to the big AAA1 (90 of 200); CCC1's 10 to BBB1, the nearer one left (30 of 100).
    expect(b).toMatchObject({ highest: { code: "AAA1", utilisation: 0.45 }, overLimit: [], breaks: false });
    expect(c).toMatchObject({ highest: { code: "BBB1", utilisation: 0.3 }, overLimit: [], breaks: false });
  });

  it("flags a loss that leaves a prefix below its safety floor", () => {
    const built = buildCapacityModel([1], announcements, catchment, pops);
    const rows = nMinusOne(built, announcements, new Map([[1, { cidr: "192.0.2.0/24", safetyFloor: 3 }]]), codes);
    expect(rows.every((row) => row.breaks && row.floorBreach?.includes("below its safety floor of 3"))).toBe(true);
  });
});

describe("nMinusOneAfter: the N-1 table once a scenario is in place", () => {
  const announcing = new Map([[1, new Set([1, 2, 3])]]);
  const floor = (safetyFloor: number) => new Map([[1, { cidr: "192.0.2.0/24", safetyFloor }]]);
  const none: ResolvedScenario = { removed: [], prepends: new Map(), candidates: [] };
  const built = () => buildCapacityModel([1], announcements, catchment, pops);

  it("without a change, is the N-1 table of today", () => {
    const after = nMinusOneAfter(built(), none, announcing, announcements, floor(2), codes);
    const today = nMinusOne(built(), announcements, floor(2), codes);
    expect(after.map((row) => [row.code, row.breaks, row.highest, row.movedProbes])).toEqual(today.map((row) => [row.code, row.breaks, row.highest, row.movedProbes]));
    expect(after[0]!.receivers.map((r) => [r.code, r.predictedBps])).toEqual([["BBB1", 90 * G]]);
  });

  it("counts the scenario's own moves in the loads: without CCC1, BBB1 carries its 10 Gbit/s, and AAA1's loss now fills it", () => {
    const rows = nMinusOneAfter(built(), { ...none, removed: [3] }, announcing, announcements, floor(1), codes);
    expect(rows.map((row) => row.code)).toEqual(["AAA1", "BBB1"]);
    expect(rows[0]).toMatchObject({ breaks: true, highest: { code: "BBB1", utilisation: 1 }, movedProbes: 10 });
    expect(rows[0]!.receivers).toEqual([expect.objectContaining({ code: "BBB1", currentBps: 30 * G, predictedBps: 100 * G, probes: 10 })]);
    // BBB1 now carries its own probes and CCC1's: all 20 go to AAA1 (70 + 30 of 200).
    expect(rows[1]).toMatchObject({ breaks: false, highest: { code: "AAA1", utilisation: 0.5 }, movedProbes: 20 });
    // Two PoPs left by the scenario: a floor of two breaks on any further loss.
    expect(nMinusOneAfter(built(), { ...none, removed: [3] }, announcing, announcements, floor(2), codes).every((row) => row.breaks && row.floorBreach !== null)).toBe(true);
  });

  it("lists a candidate PoP's loss, and checks the floor on the fleet the scenario leaves", () => {
    const candidate = { id: -1, name: "Candidate 1", location: { lat: 0, lon: 60 }, capacityBps: 20 * G, upstreamAsns: [] };
    const scenario = { ...none, removed: [3], candidates: [candidate] };
    const rows = nMinusOneAfter(built(), scenario, announcing, announcements, floor(2), codes);
    // The candidate took CCC1's 10 probes and 10 Gbit/s; losing it sends them to BBB1 (30 of 100).
    expect(rows.find((row) => row.popId === -1)).toMatchObject({ code: "Candidate 1", breaks: false, movedProbes: 10, highest: { code: "BBB1", utilisation: 0.3 } });
    // Three PoPs announce under the scenario: any loss leaves two, under a floor of three.
    const strict = nMinusOneAfter(built(), scenario, announcing, announcements, floor(3), codes);
    expect(strict.map((row) => [row.code, row.breaks])).toEqual([["AAA1", true], ["BBB1", true], ["Candidate 1", true]]);
    expect(strict.every((row) => row.floorBreach?.includes("announced undrained at 2 PoPs, below its safety floor of 3"))).toBe(true);
  });
});

describe("nMinusOne on the demo fleet", () => {
  it("flags FRA1: at the peak of the demo's traffic its loss pushes AMS1 and CDG1 over 85 %", () => {
    const facts = demoFleetFacts(generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now: new Date("2026-12-05T12:00:00Z") }));
    const built = buildCapacityModel([...facts.prefixes.keys()], facts.announcements, facts.catchment, facts.pops);
    const rows = nMinusOne(built, facts.announcements, facts.prefixes, facts.popCodes);
    const fra1 = rows.find((row) => row.code === "FRA1")!;
    expect(fra1.breaks).toBe(true);
    expect(fra1.overLimit.map((load) => load.code).sort()).toEqual(expect.arrayContaining(["AMS1", "CDG1"]));
    // The table's shortcut (only the probes that move) gives what the full prediction gives.
    const fra1Steps = new Map([...facts.prefixes.keys()].map((prefixId) => [prefixId, { changes: [{ popId: fra1.popId, state: "withdrawn" as const }] }]));
    const full = predictWithModel(built, fra1Steps).capacity;
    expect(predictWithModel(built, fra1Steps, [], { store: false }).capacity).toEqual(full);
    expect(full.receivers).toEqual(fra1.receivers);
    // The table after an empty scenario (which decides only the lost PoP's probes) is today's table.
    const prefixIds = [...facts.prefixes.keys()];
    const announcingNow = new Map(prefixIds.map((id) => [id, new Set(facts.announcements.filter((a) => a.prefixId === id).map((a) => a.popId))]));
    const after = nMinusOneAfter(built, { removed: [], prepends: new Map(), candidates: [] }, announcingNow, facts.announcements, facts.prefixes, facts.popCodes);
    expect(after.map((row) => [row.code, row.breaks, row.movedProbes, row.stranded])).toEqual(rows.map((row) => [row.code, row.breaks, row.movedProbes, row.stranded]));
    expect(after.find((row) => row.code === "FRA1")!.receivers.map((r) => [r.code, Math.round(r.predictedBps)])).toEqual(fra1.receivers.map((r) => [r.code, Math.round(r.predictedBps)]));
    console.log(`demo N-1: ${rows.filter((row) => row.breaks).map((row) => `${row.code} -> ${row.overLimit.map((l) => `${l.code} ${Math.round(l.utilisation * 100)} %`).join(", ")}`).join("; ")}`);
  });
});
