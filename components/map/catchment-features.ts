// The misrouted probes' lines as the GeoJSON MapLibre draws. Pure, so it is unit-tested.
import type { FeatureCollection, LineString } from "geojson";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";

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
