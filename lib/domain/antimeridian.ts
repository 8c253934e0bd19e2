// Country outlines for a flat (Web Mercator) map, cut at the antimeridian. Natural Earth
// rings that cross 180° jump from +180 to -180 between two vertices; drawn as they are,
// that edge becomes a streak across the whole map (Russia, Fiji, Antarctica). We make each
// ring continuous (longitudes may pass ±180), close a ring that goes round a pole through
// the pole, then cut it into the part inside [-180, 180] and the parts beyond, shifted back.
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from "geojson";

type Ring = Position[];

/** Longitudes made continuous: a step of more than 180° is taken the short way round. */
export function unwrapRing(ring: readonly Position[]): Ring {
  const result: Ring = [];
  let shift = 0;
  let previous: number | undefined;
  for (const [lon, lat] of ring) {
    if (previous !== undefined) {
      const step = lon! + shift - previous;
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    const unwrapped = lon! + shift;
    result.push([unwrapped, lat!]);
    previous = unwrapped;
  }
  return result;
}

/**
 * A continuous ring that ends 360° away from where it starts goes round a pole (Antarctica):
 * close it along the pole's parallel so it encloses the land, not the rest of the world.
 */
function closeAroundPole(ring: Ring): Ring {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (Math.abs(last[0]! - first[0]!) < 180) return ring;
  const meanLat = ring.reduce((sum, point) => sum + point[1]!, 0) / ring.length;
  const pole = meanLat < 0 ? -90 : 90;
  return [...ring, [last[0]!, pole], [first[0]!, pole], first];
}

/** Sutherland-Hodgman against one vertical line: keeps the side where `inside(lon)` holds. */
function clipAt(ring: Ring, lineLon: number, keepBelow: boolean): Ring {
  const inside = (point: Position) => (keepBelow ? point[0]! <= lineLon : point[0]! >= lineLon);
  const crossing = (a: Position, b: Position): Position => {
    const t = (lineLon - a[0]!) / (b[0]! - a[0]!);
    return [lineLon, a[1]! + t * (b[1]! - a[1]!)];
  };
  const result: Ring = [];
  for (let i = 0; i < ring.length; i++) {
    const current = ring[i]!;
    const previous = ring[(i + ring.length - 1) % ring.length]!;
    if (inside(current)) {
      if (!inside(previous)) result.push(crossing(previous, current));
      result.push(current);
    } else if (inside(previous)) {
      result.push(crossing(previous, current));
    }
  }
  return result;
}

function closed(ring: Ring): Ring {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first && last && (first[0] !== last[0] || first[1] !== last[1]) ? [...ring, first] : ring;
}

/** The part of a ring within one 360° window [west, west + 360], shifted into [-180, 180]. */
function windowOf(ring: Ring, west: number): Ring | null {
  const open = ring.slice(0, -1);
  const clipped = clipAt(clipAt(open, west, false), west + 360, true);
  if (clipped.length < 3) return null;
  const shift = -180 - west;
  return closed(clipped.map(([lon, lat]) => [lon! + shift, lat!]));
}

/** One polygon (outer ring and holes) as polygons that all lie within [-180, 180]. */
export function splitPolygon(rings: readonly Position[][]): Position[][][] {
  const continuous = rings.map((ring, index) => (index === 0 ? closeAroundPole(unwrapRing(ring)) : unwrapRing(ring)));
  const lons = continuous.flatMap((ring) => ring.map((point) => point[0]!));
  const minLon = Math.min(...lons);
  const maxLon = Math.max(...lons);
  if (minLon >= -180 && maxLon <= 180) return [continuous.map(closed)];
  const pieces: Position[][][] = [];
  for (let west = -540; west < 540; west += 360) {
    if (maxLon <= west || minLon >= west + 360) continue;
    const [outer, ...holes] = continuous.map((ring) => windowOf(closed(ring), west));
    if (!outer) continue;
    pieces.push([outer, ...holes.filter((hole): hole is Ring => hole !== null)]);
  }
  return pieces;
}

/** Coordinates to `digits` decimals: 3 is about 100 m, far finer than a 1:110m map, and halves the JSON. */
function rounded(polygons: Position[][][], digits: number): Position[][][] {
  const factor = 10 ** digits;
  return polygons.map((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => [Math.round(lon! * factor) / factor, Math.round(lat! * factor) / factor])));
}

/** Every (multi)polygon feature cut at the antimeridian (and rounded); other geometries are dropped. */
export function clipAntimeridian<P>(collection: FeatureCollection<Polygon | MultiPolygon | null, P>, digits = 3): FeatureCollection<MultiPolygon, P> {
  const features: Feature<MultiPolygon, P>[] = [];
  for (const feature of collection.features) {
    const geometry = feature.geometry;
    if (!geometry) continue;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    const coordinates = rounded(polygons.flatMap(splitPolygon), digits);
    if (coordinates.length) features.push({ ...feature, geometry: { type: "MultiPolygon", coordinates } });
  }
  return { type: "FeatureCollection", features };
}
