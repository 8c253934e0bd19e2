/** How often the map polls the catchment API: CATCHMENT_REFRESH_MS, 5 s by default, never under 1 s. */
export const DEFAULT_CATCHMENT_REFRESH_MS = 5000;
const MIN_CATCHMENT_REFRESH_MS = 1000;

export function catchmentRefreshMs(value: string | undefined = process.env.CATCHMENT_REFRESH_MS): number {
  const parsed = Number(value);
  if (!value || !Number.isFinite(parsed)) return DEFAULT_CATCHMENT_REFRESH_MS;
  return Math.max(MIN_CATCHMENT_REFRESH_MS, Math.round(parsed));
}
