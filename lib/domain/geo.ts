// Great-circle distances and the speed-of-light floor on round-trip time.

/** IUGG mean Earth radius (R1), km. */
export const EARTH_MEAN_RADIUS_KM = 6371.0088;

/**
 * Light in silica fibre travels at c / n with n ≈ 1.468: 299,792 / 1.468 ≈ 204 km per ms.
 * We round down to 200 km per ms one way, i.e. 1 ms of round trip per 100 km of
 * great-circle distance. Real fibre paths are longer than the great circle, so a
 * measured RTT is at least this and usually 1.5 to 3 times it; an RTT below it means
 * the answer cannot have come from that PoP.
 */
export const FIBER_KM_PER_MS_ONE_WAY = 200;

export type LatLon = { lat: number; lon: number };

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in km (haversine on a sphere of the mean Earth radius). */
export function distanceKm(a: LatLon, b: LatLon): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLon = toRadians(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLon / 2) ** 2;
  // min() guards against h creeping above 1 by rounding for antipodal points.
  return 2 * EARTH_MEAN_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The lowest possible round-trip time in ms over fibre for a great-circle distance in km. */
export function minRttMs(distance: number): number {
  return (2 * distance) / FIBER_KM_PER_MS_ONE_WAY;
}
