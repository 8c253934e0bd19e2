import { describe, expect, it } from "vitest";
import { distanceKm, minRttMs } from "./geo";
import { ACCESS_ALLOWANCE_MS, MISROUTED_EXTRA_KM, describeReason, findMisrouted, misrouting, type MisroutedPop } from "./misrouted";

const LHR: MisroutedPop = { id: 1, lat: 51.5, lon: -0.13, state: "announced" };
const FRA: MisroutedPop = { id: 2, lat: 50.11, lon: 8.68, state: "announced" };
const SIN: MisroutedPop = { id: 3, lat: 1.29, lon: 103.85, state: "announced" };
const LAX: MisroutedPop = { id: 4, lat: 34.05, lon: -118.24, state: "announced" };
const SYD: MisroutedPop = { id: 5, lat: -33.87, lon: 151.21, state: "announced" };
const FLEET = [LHR, FRA, SIN, LAX, SYD];
const london = { lat: 51.51, lon: -0.09 };
const sydney = { lat: -33.9, lon: 151.2 };
const codes: Record<number, string> = { 1: "LHR1", 2: "FRA1", 3: "SIN1", 4: "LAX1", 5: "SYD1" };

function check(probe: { lat: number; lon: number; popId: number | null; rttMs: number | null }, pops: MisroutedPop[] = FLEET) {
  return misrouting(probe, pops);
}

describe("misrouting", () => {
  it("flags a probe served from another continent while a PoP in its city announces", () => {
    const result = check({ ...london, popId: SIN.id, rttMs: 170 });
    expect(result?.popId).toBe(SIN.id);
    expect(result?.reasons).toEqual([
      { kind: "farther", servedKm: Math.round(distanceKm(london, SIN)), nearestPopId: LHR.id, nearestKm: Math.round(distanceKm(london, LHR)) },
    ]);
    expect(describeReason(result!.reasons[0]!, (id) => codes[id]!)).toMatch(/^10,8\d\d km away; LHR1 is \d km away$/);
  });

  it("leaves a probe served by a neighbouring metro's PoP alone", () => {
    expect(distanceKm(london, FRA) - distanceKm(london, LHR)).toBeLessThan(MISROUTED_EXTRA_KM);
    expect(check({ ...london, popId: FRA.id, rttMs: 14 })).toBeNull();
  });

  it("does not count a drained PoP as the one to reach: a drain moves probes on purpose", () => {
    const drained = [{ ...LHR, state: "drained" as const }, FRA, SIN, LAX, SYD];
    expect(check({ ...london, popId: FRA.id, rttMs: 14 }, drained)).toBeNull();
    // FRA is then the nearest undrained PoP: Singapore is still far out of the way.
    expect(check({ ...london, popId: SIN.id, rttMs: 170 }, drained)?.reasons[0]).toMatchObject({ kind: "farther", nearestPopId: FRA.id });
  });

  it("judges against the nearest drained PoP when every announcing PoP is drained", () => {
    const allDrained = FLEET.map((pop) => ({ ...pop, state: "drained" as const }));
    expect(check({ ...london, popId: SIN.id, rttMs: 170 }, allDrained)?.reasons[0]).toMatchObject({ kind: "farther", nearestPopId: LHR.id });
  });

  it("ignores withdrawn PoPs and PoPs without the prefix when finding the nearest", () => {
    const withdrawn = [{ ...LHR, state: "withdrawn" as const }, { ...FRA, state: "none" as const }, SIN, LAX, SYD];
    // With Europe gone, Singapore vs Los Angeles for a London probe: both far, neither "much farther".
    expect(check({ ...london, popId: LAX.id, rttMs: 150 }, withdrawn)).toBeNull();
  });

  it("flags an RTT over twice the fibre bound plus the access allowance, and not below it", () => {
    const bound = minRttMs(distanceKm(london, LHR));
    expect(check({ ...london, popId: LHR.id, rttMs: 2 * bound + ACCESS_ALLOWANCE_MS - 0.1 })).toBeNull();
    const slow = check({ ...london, popId: LHR.id, rttMs: 2 * bound + ACCESS_ALLOWANCE_MS + 1 });
    expect(slow?.reasons).toEqual([{ kind: "slow", rttMs: expect.any(Number), boundMs: Math.round(bound * 10) / 10 }]);
    expect(describeReason(slow!.reasons[0]!, (id) => codes[id]!)).toMatch(/^RTT 26 ms, over 2× the 0(\.\d)? ms fibre bound$/);
  });

  it("scales the RTT bound with distance: 200 ms from Sydney to Los Angeles is plausible, 300 ms is not", () => {
    const pops = [LAX];
    expect(check({ ...sydney, popId: LAX.id, rttMs: 200 }, pops)).toBeNull();
    expect(check({ ...sydney, popId: LAX.id, rttMs: 300 }, pops)?.reasons.map((r) => r.kind)).toEqual(["slow"]);
  });

  it("gives both reasons when both hold, and none for unmatched answers or unknown PoPs", () => {
    expect(check({ ...london, popId: SYD.id, rttMs: 900 })?.reasons.map((r) => r.kind)).toEqual(["farther", "slow"]);
    expect(check({ ...london, popId: null, rttMs: 900 })).toBeNull();
    expect(check({ ...london, popId: 99, rttMs: 900 })).toBeNull();
    expect(check({ ...london, popId: LHR.id, rttMs: null })).toBeNull();
  });
});

describe("findMisrouted", () => {
  it("finds the same nearest PoP as great-circle distance does, for probes all over the world", () => {
    for (let lat = -60; lat <= 70; lat += 10) {
      for (let lon = -180; lon < 180; lon += 15) {
        const probe = { lat, lon };
        const nearest = [...FLEET].sort((a, b) => distanceKm(probe, a) - distanceKm(probe, b))[0]!;
        const farthest = [...FLEET].sort((a, b) => distanceKm(probe, b) - distanceKm(probe, a))[0]!;
        const found = check({ ...probe, popId: farthest.id, rttMs: null });
        if (distanceKm(probe, farthest) - distanceKm(probe, nearest) > MISROUTED_EXTRA_KM) {
          expect(found?.reasons[0], `${lat},${lon}`).toMatchObject({ kind: "farther", nearestPopId: nearest.id });
        }
      }
    }
  });

  it("returns the misrouted probes by their index", () => {
    const probes = [
      { ...london, popId: LHR.id, rttMs: 5 },
      { ...london, popId: SIN.id, rttMs: 170 },
      { ...sydney, popId: SYD.id, rttMs: 4 },
      { ...sydney, popId: LHR.id, rttMs: 280 },
    ];
    const found = findMisrouted(probes, FLEET);
    expect([...found.keys()]).toEqual([1, 3]);
    expect(found.get(3)?.popId).toBe(LHR.id);
  });
});
