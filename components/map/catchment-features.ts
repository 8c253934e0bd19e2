// The catchment API's columns as the GeoJSON MapLibre draws. Pure, so it is unit-tested.
import type { FeatureCollection, LineString, Point } from "geojson";
import { popColor } from "@/lib/domain/pop-palette";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";

export type ProbeProperties = { i: number; pop: number; color: string };

/** One point per answer; `i` is the answer's index in the columns, `pop` -1 when unmatched. */
export function probeFeatures(map: CatchmentMap): FeatureCollection<Point, ProbeProperties> {
  const { lat, lon, pop } = map.probes;
  return {
    type: "FeatureCollection",
    features: lat.map((latitude, i) => ({
      type: "Feature",
      id: i,
      geometry: { type: "Point", coordinates: [lon[i]!, latitude] },
      properties: { i, pop: pop[i] ?? -1, color: popColor(pop[i] ?? null) },
    })),
  };
}

/**
 * The end of a line from `fromLon` towards `toLon`, moved by 360° when that is shorter: a
 * line from Auckland to Los Angeles crosses the Pacific, not Africa. MapLibre draws
 * longitudes beyond ±180 in the next copy of the world.
 */
export function nearestWrap(fromLon: number, toLon: number): number {
  if (toLon - fromLon > 180) return toLon - 360;
  if (toLon - fromLon < -180) return toLon + 360;
  return toLon;
}

/** A line from each misrouted probe to the PoP that answered it. */
export function misroutedLines(map: CatchmentMap): FeatureCollection<LineString, { i: number; pop: number }> {
  const pops = new Map(map.pops.map((pop) => [pop.id, pop]));
  return {
    type: "FeatureCollection",
    features: map.misrouted.flatMap(({ probe, pop: popId }) => {
      const pop = pops.get(popId);
      if (!pop) return [];
      const lon = map.probes.lon[probe]!;
      return [
        {
          type: "Feature" as const,
          geometry: { type: "LineString" as const, coordinates: [[lon, map.probes.lat[probe]!], [nearestWrap(lon, pop.lon), pop.lat]] },
          properties: { i: probe, pop: popId },
        },
      ];
    }),
  };
}
