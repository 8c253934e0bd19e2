// Web Mercator in MapLibre's world coordinates: x and y from 0 to 1, (0, 0) at 180° W and
// about 85° N. The probe layer and the basemap mesh place their vertices with it.

/** The latitude of the world square's top and bottom edges: Mercator never reaches the poles. */
export const MERCATOR_MAX_LAT = 85.0511287798066;

/** x of a longitude, 0 (180° W) to 1 (180° E); beyond ±180° it goes past 0 or 1. */
export function mercatorX(lon: number): number {
  return (180 + lon) / 360;
}

/** y of a latitude, 0 at the top of the world (about 85° N) to 1 at the bottom; a latitude beyond is held at the edge. */
export function mercatorY(lat: number): number {
  const held = Math.max(-MERCATOR_MAX_LAT, Math.min(MERCATOR_MAX_LAT, lat));
  return (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (held * Math.PI) / 360))) / 360;
}
