// The map's basemap as the GPU draws it: every country cut into triangles (the land) and its
// outline as rings of vertices (the borders), in Web Mercator world coordinates. Built once on
// the server from the Natural Earth outlines, so the browser draws the basemap in the same
// frame as the probes, with no tiling in MapLibre's worker (components/map/basemap-layer.ts).
import earcut, { flatten } from "earcut";
import type { FeatureCollection, MultiPolygon, Polygon, Position } from "geojson";
import { mercatorX, mercatorY } from "./web-mercator";

export type BasemapMesh = {
  /** x, y of each vertex. */
  positions: number[];
  /** Three vertex indices per triangle. */
  triangles: number[];
  /** The outlines: how many vertices each ring has, in order (ring after ring, from vertex 0). */
  rings: number[];
};

/** Decimals kept of a world coordinate: 1e-6 of the world is 40 m at the equator, far finer than 1:110m outlines. */
const DECIMALS = 6;

const round = (value: number) => Math.round(value * 10 ** DECIMALS) / 10 ** DECIMALS;

/** The mesh of polygons in longitude and latitude (each cut at the antimeridian already: lib/domain/antimeridian.ts). */
export function basemapMesh(countries: FeatureCollection<Polygon | MultiPolygon>): BasemapMesh {
  const mesh: BasemapMesh = { positions: [], triangles: [], rings: [] };
  for (const { geometry } of countries.features) {
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    for (const rings of polygons) addPolygon(mesh, rings);
  }
  return mesh;
}

function addPolygon(mesh: BasemapMesh, rings: Position[][]) {
  // Triangulated in Mercator, where the triangles are drawn: their edges are straight there.
  const projected = rings.map((ring) => ring.map(([lon, lat]) => [round(mercatorX(lon!)), round(mercatorY(lat!))]));
  const { vertices, holes, dimensions } = flatten(projected);
  const first = mesh.positions.length / 2;
  mesh.positions.push(...vertices);
  for (const index of earcut(vertices, holes, dimensions)) mesh.triangles.push(first + index);
  for (const ring of projected) mesh.rings.push(ring.length);
}

/** The outlines as line segments, two vertex indices each: every ring's consecutive vertices (a ring ends where it starts). */
export function borderSegments(rings: readonly number[]): Uint32Array {
  const segments = new Uint32Array(2 * rings.reduce((sum, length) => sum + Math.max(length - 1, 0), 0));
  let start = 0;
  let next = 0;
  for (const length of rings) {
    for (let i = start; i + 1 < start + length; i++) {
      segments[next++] = i;
      segments[next++] = i + 1;
    }
    start += length;
  }
  return segments;
}
