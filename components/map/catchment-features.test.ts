import { describe, expect, it } from "vitest";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";
import { misroutedLines, nearestWrap } from "./catchment-features";

const map: CatchmentMap = {
  prefixes: [{ id: 1, cidr: "192.0.2.0/24", service: "dns" }],
  service: null,
  at: null,
  latestAt: null,
  probes: {
    id: [10, 11],
    ext: ["sim-1", "sim-2"],
    lat: [-36.85, 51.5],
    lon: [174.76, -0.1],
    country: ["NZ", "GB"],
    asn: [64512, null],
    rtt: [160, 12],
    pop: [7, null],
    prefix: [1, 1],
    answer: [0, 1],
  },
  answers: ["lax1", "mystery"],
  total: 2,
  omittedPoints: 0,
  unplaced: { answers: 0, pops: [] },
  simulatedProbes: 2,
  unmatched: 1,
  pops: [{ id: 7, code: "LAX1", name: "Los Angeles", city: "Los Angeles", lat: 34.05, lon: -118.24, state: "announced", probes: 1, share: 0.5, simulated: true }],
  misrouted: [{ probe: 0, pop: 7, reasons: [{ kind: "farther", servedKm: 10480, nearestPopId: 8, nearestKm: 5 }] }],
};

describe("misroutedLines", () => {
  it("draws Auckland to Los Angeles across the Pacific", () => {
    const [line] = misroutedLines(map).features;
    expect(line!.geometry.coordinates).toEqual([[174.76, -36.85], [-118.24 + 360, 34.05]]);
  });

  it("keeps a short line as it is", () => {
    expect(nearestWrap(-0.1, 8.68)).toBe(8.68);
    expect(nearestWrap(-170, 170)).toBe(-190);
  });
});
