import { describe, expect, it } from "vitest";
import { popColor } from "@/lib/domain/pop-palette";
import { probeRadius } from "./probe-layer";
import { mercatorX, mercatorY } from "@/lib/domain/web-mercator";
import { colouredPoints, hexToRgb, NO_GROUP, nearestProbe, probePoints } from "./probe-points";

describe("probePoints", () => {
  const map = {
    probes: { id: [10, 11, 12], ext: ["a", "b", "c"], lat: [-36.85, 51.5, 0], lon: [174.76, -0.1, 0], country: ["NZ", "GB", null], asn: [1, null, 2], rtt: [160, 12, null], pop: [7, null, 7], prefix: [1, 1, 1], answer: [0, 1, 0] },
  };

  it("gives each answer its position, its PoP's colour (grey when unmatched) and its PoP, in the columns' order", () => {
    const points = probePoints(map);
    expect(points.count).toBe(3);
    expect(points.position[0]).toBeCloseTo(mercatorX(174.76), 6);
    expect(points.position[1]).toBeCloseTo(mercatorY(-36.85), 6);
    expect(points.position[3]).toBeCloseTo(mercatorY(51.5), 6);
    expect([...points.color.subarray(0, 3)]).toEqual(hexToRgb(popColor(7)));
    expect([...points.color.subarray(3, 6)]).toEqual(hexToRgb(popColor(null)));
    expect([...points.color.subarray(6, 9)]).toEqual(hexToRgb(popColor(7)));
    expect([...points.pop]).toEqual([7, NO_GROUP, 7]);
  });

  it("colours points by what the caller says, and keeps a negative group (a candidate PoP) apart from none", () => {
    const points = colouredPoints([10, 20, 30], [1, 2, 3], [-1, null, 4], (index) => ["#ff0000", "#00ff00", "#0000ff"][index]!);
    expect([...points.color]).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 255]);
    expect([...points.pop]).toEqual([-1, NO_GROUP, 4]);
    expect(points.position[3]).toBeCloseTo(mercatorY(20), 6);
  });

  it("reads a colour's bytes", () => {
    expect(hexToRgb("#ff8000")).toEqual([255, 128, 0]);
    expect(hexToRgb("#0b0f14")).toEqual([11, 15, 20]);
  });
});

describe("nearestProbe", () => {
  const points = probePoints({
    probes: { id: [1, 2, 3, 4], ext: [], lat: [0, 0, 0, 0], lon: [0, 1, 179.9, 0], country: [], asn: [], rtt: [], pop: [1, 2, 3, 4], prefix: [], answer: [] },
  });
  const degree = 1 / 360;

  it("finds the probe nearest the pointer within the radius, or none", () => {
    expect(nearestProbe(points, mercatorX(0.9), mercatorY(0), 0.5 * degree)).toBe(1);
    expect(nearestProbe(points, mercatorX(0.5), mercatorY(0.45), 0.1 * degree)).toBeNull();
  });

  it("wraps round the antimeridian", () => {
    expect(nearestProbe(points, mercatorX(-179.95), mercatorY(0), 0.2 * degree)).toBe(2);
    expect(nearestProbe(points, mercatorX(-179.95), mercatorY(0), 0.1 * degree)).toBeNull();
    // A world copy to the right: longitude 360.1 is 0.1.
    expect(nearestProbe(points, mercatorX(360.1), mercatorY(0), 0.2 * degree)).toBe(3);
  });

  it("of probes at one spot, gives the one drawn last (on top)", () => {
    expect(nearestProbe(points, mercatorX(0), mercatorY(0), degree)).toBe(3);
  });
});

describe("probeRadius", () => {
  it("grows from 2.5 px at the world view to 5 px at zoom 5, and no further", () => {
    expect([probeRadius(0.5), probeRadius(1), probeRadius(3), probeRadius(5), probeRadius(9)]).toEqual([2.5, 2.5, 3.75, 5, 5]);
  });
});
