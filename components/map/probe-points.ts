// The probes as the GPU draws them and as the pointer finds them. Pure, so it is unit-tested;
// probe-layer.ts does the WebGL.
import { popColor } from "@/lib/domain/pop-palette";
import { mercatorX, mercatorY } from "@/lib/domain/web-mercator";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";

/** "#rrggbb" as three bytes. */
export function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/**
 * One point per answer, in the columns' order: `position` (x, y in Mercator world
 * coordinates), `color` (r, g, b bytes: its PoP's colour, grey when unmatched) and `pop`
 * (the PoP's id, NO_GROUP when unmatched), each a typed array the GPU takes as it is.
 */
export type ProbePoints = { count: number; position: Float32Array; color: Uint8Array; pop: Float32Array };

/** The group of a point that belongs to no PoP: not -1, which is a placement scenario's first candidate PoP. */
export const NO_GROUP = -1_000_000;

export function probePoints(map: Pick<CatchmentMap, "probes">): ProbePoints {
  const { lat, lon, pop } = map.probes;
  return colouredPoints(lat, lon, pop, (index) => popColor(pop[index] ?? null));
}

/**
 * Points at (`lat[i]`, `lon[i]`), each in the colour `colorOf(i)` gives (#rrggbb) and in the
 * group `group[i]` (a PoP's id, null for none: selecting a PoP on the map highlights its group).
 */
export function colouredPoints(lat: readonly number[], lon: readonly number[], group: readonly (number | null)[], colorOf: (index: number) => string): ProbePoints {
  const count = lat.length;
  const position = new Float32Array(count * 2);
  const color = new Uint8Array(count * 3);
  const groups = new Float32Array(count);
  const rgbByHex = new Map<string, [number, number, number]>();
  for (let i = 0; i < count; i++) {
    const hex = colorOf(i);
    let rgb = rgbByHex.get(hex);
    if (!rgb) {
      rgb = hexToRgb(hex);
      rgbByHex.set(hex, rgb);
    }
    position[i * 2] = mercatorX(lon[i]!);
    position[i * 2 + 1] = mercatorY(lat[i]!);
    color.set(rgb, i * 3);
    groups[i] = group[i] ?? NO_GROUP;
  }
  return { count, position, color, pop: groups };
}

/**
 * The index of the probe nearest to a point given in Mercator world coordinates, within
 * `radius` (same units), or null. Longitudes wrap: a probe at 179.9° E is next to the pointer
 * at 179.9° W. Of probes at the same spot, the last one drawn (on top) wins.
 */
export function nearestProbe(points: ProbePoints, x: number, y: number, radius: number): number | null {
  let best: number | null = null;
  let bestDistance = radius * radius;
  for (let i = 0; i < points.count; i++) {
    let dx = Math.abs(points.position[i * 2]! - x) % 1;
    if (dx > 0.5) dx = 1 - dx;
    const dy = points.position[i * 2 + 1]! - y;
    const distance = dx * dx + dy * dy;
    if (distance <= bestDistance) {
      best = i;
      bestDistance = distance;
    }
  }
  return best;
}
