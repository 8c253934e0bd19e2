import { readFileSync } from "node:fs";
import path from "node:path";
import type { FeatureCollection, MultiPolygon, Polygon, Position } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { describe, expect, it } from "vitest";
import { clipAntimeridian, splitPolygon, unwrapRing } from "./antimeridian";

/** The longest east-west step between two consecutive vertices of any ring (along a pole, where Mercator draws nothing, aside). */
function longestStep(polygons: Position[][][]): number {
  let longest = 0;
  for (const polygon of polygons) for (const ring of polygon) for (let i = 1; i < ring.length; i++) {
    if (Math.abs(ring[i]![1]!) === 90 && ring[i]![1] === ring[i - 1]![1]) continue;
    longest = Math.max(longest, Math.abs(ring[i]![0]! - ring[i - 1]![0]!));
  }
  return longest;
}

/** Shoelace area in square degrees: enough to compare a shape before and after cutting. */
function area(polygons: Position[][][]): number {
  let total = 0;
  for (const polygon of polygons) polygon.forEach((ring, index) => {
    let sum = 0;
    for (let i = 1; i < ring.length; i++) sum += ring[i - 1]![0]! * ring[i]![1]! - ring[i]![0]! * ring[i - 1]![1]!;
    total += (index === 0 ? 1 : -1) * Math.abs(sum / 2);
  });
  return total;
}

describe("unwrapRing", () => {
  it("takes each step the short way round", () => {
    expect(unwrapRing([[179, 0], [-179, 1], [-178, 0], [179, -1]])).toEqual([[179, 0], [181, 1], [182, 0], [179, -1]]);
  });
});

describe("splitPolygon", () => {
  it("leaves a polygon away from the antimeridian as it is", () => {
    const square = [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]];
    expect(splitPolygon(square)).toEqual([square]);
  });

  it("cuts an island across 180° into two pieces with no streak", () => {
    const island = [[[178, -16], [-178, -16], [-178, -18], [178, -18], [178, -16]]];
    const pieces = splitPolygon(island);
    expect(pieces).toHaveLength(2);
    expect(longestStep(pieces)).toBeLessThanOrEqual(2);
    expect(area(pieces)).toBeCloseTo(4 * 2, 6);
    const lons = pieces.flat(2).map((point) => point[0]!);
    expect(Math.min(...lons)).toBe(-180);
    expect(Math.max(...lons)).toBe(180);
  });

  it("closes a ring round the south pole through the pole", () => {
    // A band round the pole, as Natural Earth draws Antarctica: west to east along the coast.
    const coast: Position[] = [];
    for (let lon = -180; lon <= 180; lon += 30) coast.push([lon, -70]);
    coast.push([-180, -70]);
    const [piece, ...more] = splitPolygon([coast]);
    expect(more).toHaveLength(0);
    expect(piece![0]!.some((point) => point[1] === -90)).toBe(true);
    expect(area([piece!])).toBeCloseTo(360 * 20, 6);
  });
});

describe("clipAntimeridian on the world-atlas countries", () => {
  const topology = JSON.parse(
    readFileSync(path.join(process.cwd(), "node_modules/world-atlas/countries-110m.json"), "utf8"),
  ) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = feature(topology, topology.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  const clipped = clipAntimeridian(countries);

  it("keeps every country and leaves no edge spanning half the world", () => {
    expect(clipped.features).toHaveLength(countries.features.filter((f) => f.geometry).length);
    for (const country of clipped.features) expect(longestStep(country.geometry.coordinates), country.properties.name).toBeLessThan(90);
  });

  it("keeps Russia, Fiji and Antarctica on both sides of 180°, within [-180, 180]", () => {
    for (const name of ["Russia", "Fiji", "Antarctica"]) {
      const lons = clipped.features.find((f) => f.properties.name === name)!.geometry.coordinates.flat(2).map((p) => p[0]!);
      expect(Math.min(...lons), name).toBeLessThan(-170);
      expect(Math.max(...lons), name).toBeGreaterThan(170);
      expect(Math.min(...lons), name).toBeGreaterThanOrEqual(-180);
      expect(Math.max(...lons), name).toBeLessThanOrEqual(180);
    }
  });
});
