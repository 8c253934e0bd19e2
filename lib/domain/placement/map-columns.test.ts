import { describe, expect, it } from "vitest";
import { catchmentColumns, inflationBand, inflationColumns, INFLATION_BANDS } from "./map-columns";

describe("placement map columns", () => {
  it("turns probes' inflation into columns, rounded to what a map shows", () => {
    const columns = inflationColumns([
      { probeId: 1, location: { lat: 52.37123, lon: 4.89987 }, popId: 3, nearestPopId: 3, extraKm: 0, extraRttMs: 4.4 },
      { probeId: 2, location: { lat: -1.2921, lon: 36.8219 }, popId: 5, nearestPopId: 3, extraKm: 812.6, extraRttMs: null },
    ]);
    expect(columns).toEqual({ lat: [52.37, -1.29], lon: [4.9, 36.82], pop: [3, 5], nearest: [3, 3], extraMs: [4, null], extraKm: [0, 813] });
  });

  it("keeps a scenario's candidate PoPs (negative ids) and stranded probes (null)", () => {
    expect(catchmentColumns([{ probeId: 1, location: { lat: 1.234, lon: 2.345 }, popId: -1 }, { probeId: 2, location: { lat: 3, lon: 4 }, popId: null }])).toEqual({ lat: [1.23, 3], lon: [2.35, 4], pop: [-1, null] });
  });

  it("puts an extra RTT in its band: each bound belongs to the band above it", () => {
    expect(inflationBand(null)).toBeNull();
    expect(inflationBand(-3)).toBe(0);
    expect(inflationBand(9.9)).toBe(0);
    expect(inflationBand(10)).toBe(1);
    expect(inflationBand(59)).toBe(2);
    expect(inflationBand(600)).toBe(INFLATION_BANDS.length - 1);
  });
});
