import { describe, expect, it } from "vitest";
import { MERCATOR_MAX_LAT, mercatorX, mercatorY } from "./web-mercator";

describe("Web Mercator", () => {
  it("puts the antimeridian at the edges, Greenwich in the middle, and the equator half way down", () => {
    expect([mercatorX(-180), mercatorX(0), mercatorX(180)]).toEqual([0, 0.5, 1]);
    expect(mercatorY(0)).toBeCloseTo(0.5, 12);
    // The map's top and bottom edges are at about ±85.0511°.
    expect(mercatorY(MERCATOR_MAX_LAT)).toBeCloseTo(0, 9);
    expect(mercatorY(-MERCATOR_MAX_LAT)).toBeCloseTo(1, 9);
    // North is up: Amsterdam is above the equator.
    expect(mercatorY(52.37)).toBeLessThan(0.5);
  });

  it("holds a latitude beyond the edges at the edge, the poles included (which Mercator puts at infinity)", () => {
    expect(mercatorY(90)).toBe(mercatorY(MERCATOR_MAX_LAT));
    expect(mercatorY(-90)).toBe(mercatorY(-MERCATOR_MAX_LAT));
    expect(Number.isFinite(mercatorY(-90))).toBe(true);
  });
});
