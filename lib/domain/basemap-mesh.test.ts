import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import { describe, expect, it } from "vitest";
import { basemapMesh, borderSegments } from "./basemap-mesh";
import { mercatorX, mercatorY } from "./web-mercator";

const countries = (...geometries: (Polygon | MultiPolygon)[]): FeatureCollection<Polygon | MultiPolygon> => ({
  type: "FeatureCollection",
  features: geometries.map((geometry) => ({ type: "Feature", properties: {}, geometry })),
});

const square = (west: number, south: number, size: number) => [
  [west, south],
  [west + size, south],
  [west + size, south + size],
  [west, south + size],
  [west, south],
];

/** The area the triangles cover, in world units squared. */
function triangleArea({ positions, triangles }: { positions: number[]; triangles: number[] }) {
  let area = 0;
  for (let i = 0; i < triangles.length; i += 3) {
    const [a, b, c] = [triangles[i]!, triangles[i + 1]!, triangles[i + 2]!].map((v) => [positions[2 * v]!, positions[2 * v + 1]!] as const);
    area += Math.abs((b![0] - a![0]) * (c![1] - a![1]) - (c![0] - a![0]) * (b![1] - a![1])) / 2;
  }
  return area;
}

describe("basemapMesh", () => {
  it("places a country's vertices in Web Mercator and covers it with triangles", () => {
    const mesh = basemapMesh(countries({ type: "Polygon", coordinates: [square(0, 0, 10)] }));
    expect(mesh.rings).toEqual([5]);
    expect(mesh.positions.slice(0, 2)).toEqual([0.5, 0.5]);
    expect(mesh.positions[4]).toBeCloseTo(mercatorX(10), 6);
    expect(mesh.positions[5]).toBeCloseTo(mercatorY(10), 6);
    expect(mesh.triangles.length).toBe(6);
    const width = mercatorX(10) - mercatorX(0);
    const height = mercatorY(0) - mercatorY(10);
    expect(triangleArea(mesh)).toBeCloseTo(width * height, 7);
  });

  it("leaves a hole (a lake, an enclave) uncovered, and outlines it", () => {
    const mesh = basemapMesh(countries({ type: "Polygon", coordinates: [square(0, 0, 10), square(4, 4, 2).reverse()] }));
    expect(mesh.rings).toEqual([5, 5]);
    const outer = (mercatorX(10) - mercatorX(0)) * (mercatorY(0) - mercatorY(10));
    const hole = (mercatorX(6) - mercatorX(4)) * (mercatorY(4) - mercatorY(6));
    expect(triangleArea(mesh)).toBeCloseTo(outer - hole, 7);
  });

  it("numbers the vertices of every polygon of every country after the ones before", () => {
    const mesh = basemapMesh(
      countries({ type: "MultiPolygon", coordinates: [[square(0, 0, 1)], [square(20, 0, 1)]] }, { type: "Polygon", coordinates: [square(-40, -10, 1)] }),
    );
    expect(mesh.rings).toEqual([5, 5, 5]);
    expect(mesh.positions.length).toBe(2 * 15);
    expect(Math.max(...mesh.triangles)).toBeLessThan(15);
    // Each square's two triangles use its own vertices.
    const ofSquare = (k: number) => mesh.triangles.filter((v) => v >= 5 * k && v < 5 * (k + 1)).length;
    expect([ofSquare(0), ofSquare(1), ofSquare(2)]).toEqual([6, 6, 6]);
  });

  it("holds land that reaches a pole (Antarctica closed through it) at the map's edge, not at infinity", () => {
    const mesh = basemapMesh(countries({ type: "Polygon", coordinates: [[[-180, -70], [180, -70], [180, -90], [-180, -90], [-180, -70]]] }));
    expect(mesh.positions.every(Number.isFinite)).toBe(true);
    expect(Math.max(...mesh.positions.filter((_, i) => i % 2 === 1))).toBeCloseTo(1, 6);
  });
});

describe("borderSegments", () => {
  it("joins each ring's consecutive vertices, never one ring to the next", () => {
    expect([...borderSegments([4, 3])]).toEqual([0, 1, 1, 2, 2, 3, 4, 5, 5, 6]);
    expect([...borderSegments([])]).toEqual([]);
  });
});
