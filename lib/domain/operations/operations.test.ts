import { describe, expect, it } from "vitest";
import { predictCapacity, type CatchmentAnswer, type PopLoad } from "./capacity";
import { applyPlan, planOperation, type AnnouncementSnapshot } from "./plan";
import { checkCapacity, checkFloor, checkRpki, countsTowardFloor, verdictOf, type PrefixFacts } from "./safety";

const announced = (popId: number, prefixId: number): AnnouncementSnapshot => ({ popId, prefixId, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: 0 });

// Three PoPs on a line of longitude 0: PoP 1 at lat 0, 2 at lat 10, 3 at lat 40.
const pops: PopLoad[] = [
  { id: 1, code: "AAA1", lat: 0, lon: 0, capacityBps: 100e9, currentBps: 40e9 },
  { id: 2, code: "BBB1", lat: 10, lon: 0, capacityBps: 100e9, currentBps: 30e9 },
  { id: 3, code: "CCC1", lat: 40, lon: 0, capacityBps: 100e9, currentBps: 10e9 },
];
const codes = new Map(pops.map((p) => [p.id, p.code]));
const prefixes = new Map<number, PrefixFacts>([
  [10, { id: 10, cidr: "192.0.2.0/24", safetyFloor: 2, validity: "valid" }],
  [20, { id: 20, cidr: "198.51.100.0/24", safetyFloor: 1, validity: "invalid_asn" }],
]);
const fleet = [1, 2, 3].flatMap((pop) => [announced(pop, 10), announced(pop, 20)]);

describe("planOperation", () => {
  it("plans every prefix of the PoP, or one, and leaves out what is already so", () => {
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: null, prependCount: 3 }, fleet)).toEqual([
      { popId: 1, prefixId: 10, from: "announced", to: "drained", prependCount: 3 },
      { popId: 1, prefixId: 20, from: "announced", to: "drained", prependCount: 3 },
    ]);
    expect(planOperation({ kind: "withdraw", popIds: [2], prefixIds: [20], prependCount: 3 }, fleet)).toEqual([
      { popId: 2, prefixId: 20, from: "announced", to: "withdrawn", prependCount: 0 },
    ]);
    expect(planOperation({ kind: "restore", popIds: [1], prefixIds: null, prependCount: 3 }, fleet)).toEqual([]);
    const drained = applyPlan(fleet, planOperation({ kind: "drain", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet));
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: [10], prependCount: 3 }, drained)).toEqual([]);
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: [10], prependCount: 5 }, drained)).toHaveLength(1);
  });
});

describe("planOperation against what the agents report", () => {
  const drainedAtOne = fleet.map((a) => (a.popId === 1 ? { ...a, desiredState: "drained" as const, prependCount: 3 } : a));

  it("plans nothing when desired and observed are both already the target", () => {
    const reached = drainedAtOne.map((a) => (a.popId === 1 ? { ...a, observedState: "drained" as const, observedPrepend: 3 } : a));
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: null, prependCount: 3 }, reached)).toEqual([]);
  });

  it("plans again, from the observed state, a desired state the agent never reached", () => {
    // The console recorded the drain but never called the agent: it still reports announced.
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: [10], prependCount: 3 }, drainedAtOne)).toEqual([
      { popId: 1, prefixId: 10, from: "announced", to: "drained", prependCount: 3 },
    ]);
    // Drained, but with other prepends than asked.
    const otherPrepend = drainedAtOne.map((a) => (a.popId === 1 ? { ...a, observedState: "drained" as const, observedPrepend: 5 } : a));
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: [10], prependCount: 3 }, otherPrepend)).toHaveLength(1);
    // A restore that never reached a withdrawn agent announces anew: the RPKI check applies.
    const stuckRestore = fleet.map((a) => (a.popId === 1 ? { ...a, observedState: "withdrawn" as const } : a));
    const steps = planOperation({ kind: "restore", popIds: [1], prefixIds: null, prependCount: 3 }, stuckRestore);
    expect(steps.map((s) => s.from)).toEqual(["withdrawn", "withdrawn"]);
    expect(checkRpki(steps, prefixes).ok).toBe(false);
  });

  it("takes an agent that has not reported yet to be where the console asked", () => {
    const unreported = drainedAtOne.map((a) => (a.popId === 1 ? { ...a, observedState: null, observedPrepend: null } : a));
    expect(planOperation({ kind: "drain", popIds: [1], prefixIds: null, prependCount: 3 }, unreported)).toEqual([]);
  });
});

describe("the safety floor", () => {
  it("passes while enough PoPs stay announced undrained, and names the prefix and floor when not", () => {
    const first = planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet);
    expect(checkFloor(first, fleet, prefixes, codes)).toMatchObject({ ok: true });
    const afterFirst = applyPlan(fleet, first);
    const second = planOperation({ kind: "drain", popIds: [2], prefixIds: [10], prependCount: 3 }, afterFirst);
    const check = checkFloor(second, afterFirst, prefixes, codes);
    expect(check.ok).toBe(false);
    expect(check.message).toBe("Refused by the safety floor: 192.0.2.0/24 would be announced undrained at 1 PoP, below its safety floor of 2 (changing BBB1).");
  });

  it("does not count a PoP the agent reports drained, whatever the console wanted", () => {
    expect(countsTowardFloor({ ...announced(1, 10), observedState: "drained" })).toBe(false);
    expect(countsTowardFloor({ ...announced(1, 10), observedState: null })).toBe(true);
    const drifted = fleet.map((a) => (a.popId === 3 && a.prefixId === 10 ? { ...a, observedState: "withdrawn" as const } : a));
    const steps = planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, drifted);
    expect(checkFloor(steps, drifted, prefixes, codes).ok).toBe(false);
  });

  it("is not at stake for a restore", () => {
    const withdrawn = applyPlan(fleet, planOperation({ kind: "withdraw", popIds: [1], prefixIds: null, prependCount: 3 }, fleet));
    const restore = planOperation({ kind: "restore", popIds: [1], prefixIds: null, prependCount: 3 }, withdrawn);
    expect(checkFloor(restore, withdrawn, prefixes, codes).ok).toBe(true);
  });
});

describe("the RPKI check", () => {
  it("refuses restoring an RPKI-invalid prefix, and lets a drain of it through", () => {
    const withdrawn = applyPlan(fleet, planOperation({ kind: "withdraw", popIds: [1], prefixIds: null, prependCount: 3 }, fleet));
    const restore = planOperation({ kind: "restore", popIds: [1], prefixIds: null, prependCount: 3 }, withdrawn);
    const check = checkRpki(restore, prefixes);
    expect(check.ok).toBe(false);
    expect(check.message).toContain("198.51.100.0/24 is RPKI Invalid (ASN)");
    expect(checkRpki(planOperation({ kind: "drain", popIds: [2], prefixIds: [20], prependCount: 3 }, fleet), prefixes).ok).toBe(true);
    // Undoing a drain only removes prepends from a route already in the table.
    const drained = applyPlan(fleet, planOperation({ kind: "drain", popIds: [1], prefixIds: null, prependCount: 3 }, fleet));
    const undrain = checkRpki(planOperation({ kind: "restore", popIds: [1], prefixIds: null, prependCount: 3 }, drained), prefixes);
    expect(undrain.ok).toBe(true);
    // ... and says so, naming the invalid prefix, so the operator knows why it was let through.
    expect(undrain.message).toContain("198.51.100.0/24 is RPKI Invalid (ASN), but undoing a drain only removes prepends");
    expect(checkRpki(planOperation({ kind: "restore", popIds: [1], prefixIds: [10], prependCount: 3 }, withdrawn), prefixes).ok).toBe(true);
  });
});

describe("the RPKI check before a withdraw, and the ways out of a refused restore", () => {
  it("warns that restoring an RPKI-invalid prefix will be refused, naming it and its state, and passes", () => {
    const check = checkRpki(planOperation({ kind: "withdraw", popIds: [1], prefixIds: null, prependCount: 3 }, fleet), prefixes);
    expect(check).toMatchObject({ ok: true, warning: true, prefixIds: [20] });
    expect(check.message).toContain("198.51.100.0/24 is RPKI Invalid (ASN): restoring it afterwards will be refused");
    expect(check.message).toContain("Withdraw the other prefixes only, or drain instead");
    expect(check.message).not.toContain("not at stake");
    // A valid prefix alone: nothing to warn about.
    const valid = checkRpki(planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet), prefixes);
    expect(valid).toMatchObject({ ok: true, message: "Nothing is announced anew: RPKI is not at stake." });
    expect(valid.warning).toBeUndefined();
  });

  it("names the ways out when it refuses a restore: the other prefixes, an admin's override, the ROA", () => {
    const withdrawn = applyPlan(fleet, planOperation({ kind: "withdraw", popIds: [1], prefixIds: null, prependCount: 3 }, fleet));
    const check = checkRpki(planOperation({ kind: "restore", popIds: [1], prefixIds: null, prependCount: 3 }, withdrawn), prefixes);
    expect(check).toMatchObject({ ok: false, prefixIds: [20] });
    expect(check.message).toBe(
      "Refused: 198.51.100.0/24 is RPKI Invalid (ASN); networks that validate would drop it. Ways out: restore the other prefixes only (192.0.2.0/24), or ask an admin to override with a written reason, or fix the ROA.",
    );
    const alone = checkRpki(planOperation({ kind: "restore", popIds: [1], prefixIds: [20], prependCount: 3 }, withdrawn), prefixes);
    expect(alone.message).toContain("Ways out: ask an admin to override with a written reason, or fix the ROA.");
  });
});

describe("the capacity estimate", () => {
  // Probes just north of PoP 1: after it goes, PoP 2 (10° away) is nearer than PoP 3 (40°).
  const catchment: CatchmentAnswer[] = Array.from({ length: 4 }, (_, i) => ({ probeId: i, lat: 1, lon: 0, country: "GH", prefixId: 10, popId: 1 }));
  catchment.push({ probeId: 9, lat: 39, lon: 0, country: "ES", prefixId: 10, popId: 3 });

  it("moves each affected probe's share of traffic where the catchment model sends it (here, by distance: the nearest PoP left)", () => {
    const steps = planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet);
    const prediction = predictCapacity(steps, fleet, catchment, pops).capacity;
    expect(prediction.movedProbes).toBe(4);
    expect(prediction.movedBy).toEqual({ observed: 0, inferred: 0, fallback: 4 });
    expect(prediction.movedByRegion).toEqual([{ region: "africa", probes: 4 }]);
    // All of PoP 1's 40 Gbps sits on these 4 answers: PoP 2 goes from 30 to 70 Gbps.
    expect(prediction.receivers).toEqual([{ popId: 2, code: "BBB1", currentBps: 30e9, predictedBps: 70e9, capacityBps: 100e9, probes: 4 }]);
    expect(checkCapacity(prediction)).toMatchObject({ ok: true });
  });

  it("fails above 85 % and names the PoP", () => {
    const hot = pops.map((p) => (p.id === 2 ? { ...p, currentBps: 60e9 } : p));
    const steps = planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet);
    const check = checkCapacity(predictCapacity(steps, fleet, catchment, hot).capacity);
    expect(check).toEqual({ name: "capacity", ok: false, message: "Estimate: BBB1 would reach 100 % of capacity, above the 85 % limit." });
  });

  it("brings probes back to a restored PoP that is nearer than where they are", () => {
    const withdrawn = applyPlan(fleet, planOperation({ kind: "withdraw", popIds: [3], prefixIds: [10], prependCount: 3 }, fleet));
    const onTwo: CatchmentAnswer[] = [{ probeId: 1, lat: 39, lon: 0, country: "ES", prefixId: 10, popId: 2 }, { probeId: 2, lat: 9, lon: 0, country: "NG", prefixId: 10, popId: 2 }];
    const restore = planOperation({ kind: "restore", popIds: [3], prefixIds: [10], prependCount: 3 }, withdrawn);
    const prediction = predictCapacity(restore, withdrawn, onTwo, pops).capacity;
    expect(prediction.receivers.map((r) => [r.code, r.probes])).toEqual([["CCC1", 1]]);
  });

  it("takes a group of unplaced probes (a scan's /24s) to stand at their PoP, weighed by their number", () => {
    // 4 placed answers and a group of 4 unplaced ones share PoP 1's 40 Gbps: 5 Gbps each.
    const withScan: CatchmentAnswer[] = [...catchment, { probeId: null, lat: null, lon: null, country: "NG", prefixId: 10, popId: 1, probes: 4 }];
    const steps = planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet);
    const prediction = predictCapacity(steps, fleet, withScan, pops).capacity;
    expect(prediction.movedProbes).toBe(8);
    expect(prediction.movedByRegion).toEqual([{ region: "africa", probes: 8 }]);
    // PoP 1 stands at lat 0: PoP 2 is its nearest, so all 8 go there with all 40 Gbps.
    expect(prediction.receivers).toEqual([{ popId: 2, code: "BBB1", currentBps: 30e9, predictedBps: 70e9, capacityBps: 100e9, probes: 8 }]);
  });

  it("keeps a drained PoP's probes in one of its upstreams' networks, and replays where probes went the last time it was drained", () => {
    const withUpstreams = pops.map((p) => (p.id === 1 ? { ...p, upstreamAsns: [1299] } : p));
    const inUpstream = catchment.map((a) => (a.probeId === 0 ? { ...a, asn: 1299 } : a));
    const steps = planOperation({ kind: "drain", popIds: [1], prefixIds: [10], prependCount: 3 }, fleet);
    const fresh = predictCapacity(steps, fleet, inUpstream, withUpstreams).capacity;
    expect(fresh).toMatchObject({ movedProbes: 3, movedBy: { observed: 0, inferred: 0, fallback: 3 } });

    // The last drain sent probes 1 and 2 to the far PoP 3.
    const at = new Date("2026-12-01T00:00:00Z");
    const answer = (probeId: number, popId: number) => ({ probeId, popId, rttMs: null, at });
    const routing = (state: "announced" | "drained") => [1, 2, 3].map((popId) => (popId === 1 && state === "drained" ? { popId, state, prepends: 3 } : { popId, state: "announced" as const }));
    const lastDrain = { at, before: routing("announced"), after: routing("drained"), answersBefore: [1, 2, 3].map((p) => answer(p, 1)), answersAfter: [answer(1, 3), answer(2, 3), answer(3, 2)] };
    const { capacity: replayed, predictions } = predictCapacity(steps, fleet, inUpstream, withUpstreams, new Map([[10, [lastDrain]]]));
    expect(replayed).toMatchObject({ movedProbes: 3, movedBy: { observed: 3, inferred: 0, fallback: 0 } });
    expect(replayed.receivers.map((r) => [r.code, r.probes])).toEqual([["CCC1", 2], ["BBB1", 1]]);
    // Kept probe by probe with the operation, to be checked against what the probes measure after it.
    expect(predictions).toEqual([{ prefixId: 10, changedPopIds: [1], probes: [[0, 1, 1, "inferred"], [1, 1, 3, "observed"], [2, 1, 3, "observed"], [3, 1, 2, "observed"], [9, 3, 3, "observed"]] }]);
  });

  it("counts answers left with no PoP at all", () => {
    const lonely = fleet.filter((a) => a.popId === 1);
    const steps = planOperation({ kind: "withdraw", popIds: [1], prefixIds: [10], prependCount: 3 }, lonely);
    expect(predictCapacity(steps, lonely, catchment.slice(0, 4), pops).capacity.stranded).toBe(4);
  });
});

describe("the verdict", () => {
  it("passes only when every check passes", () => {
    expect(verdictOf([{ name: "floor", ok: true, message: "" }, { name: "rpki", ok: true, message: "" }]).ok).toBe(true);
    expect(verdictOf([{ name: "floor", ok: true, message: "" }, { name: "capacity", ok: false, message: "" }]).ok).toBe(false);
  });
});
