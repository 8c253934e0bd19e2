// Catchment over time, as chart series: pure shaping of the hourly rollups
// (catchment_hourly, rtt_hourly) the database keeps.

/** Answers per hour and PoP, as the database sums them. */
export type HourlyAnswers = { bucket: Date; popId: number; answers: number };

export type ShareSeries = {
  /** The PoPs drawn (most answers first); the rest are summed as "other". */
  keys: { popId: number | null; label: string }[];
  /** One point per hour: `at` plus each key's share (0..1) under `p<popId>` or `other`. */
  points: Record<string, number | string>[];
};

/** Most PoPs a stacked chart can show readably; the long tail is one band. */
export const MAX_SHARE_BANDS = 12;

export function shareKey(popId: number | null): string {
  return popId === null ? "other" : `p${popId}`;
}

/** Each hour's answers as shares per PoP, the biggest PoPs over the period as their own bands. */
export function shareSeries(rows: readonly HourlyAnswers[], popLabel: (popId: number) => string, maxBands = MAX_SHARE_BANDS): ShareSeries {
  const totalsByPop = new Map<number, number>();
  for (const row of rows) totalsByPop.set(row.popId, (totalsByPop.get(row.popId) ?? 0) + row.answers);
  const ranked = [...totalsByPop].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([popId]) => popId);
  const shown = new Set(ranked.length > maxBands ? ranked.slice(0, maxBands - 1) : ranked);
  const keys = [...shown].map((popId) => ({ popId, label: popLabel(popId) }) as ShareSeries["keys"][number]);
  if (shown.size < ranked.length) keys.push({ popId: null, label: "Other PoPs" });

  const byHour = new Map<number, Map<string, number>>();
  for (const row of rows) {
    const hour = row.bucket.getTime();
    const counts = byHour.get(hour) ?? new Map<string, number>();
    const key = shareKey(shown.has(row.popId) ? row.popId : null);
    counts.set(key, (counts.get(key) ?? 0) + row.answers);
    byHour.set(hour, counts);
  }
  const points = [...byHour]
    .sort((a, b) => a[0] - b[0])
    .map(([hour, counts]) => {
      const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
      const point: Record<string, number | string> = { at: new Date(hour).toISOString() };
      for (const key of keys) point[shareKey(key.popId)] = total ? (counts.get(shareKey(key.popId)) ?? 0) / total : 0;
      return point;
    });
  return { keys, points };
}

/** Median RTT per hour and region, as the database computes it from rtt_hourly. */
export type HourlyMedian = { bucket: Date; region: string; medianMs: number };

/** One point per hour with each region's median under its name; regions in a stable order. */
export function medianSeries(rows: readonly HourlyMedian[]): { regions: string[]; points: Record<string, number | string>[] } {
  const regions = [...new Set(rows.map((row) => row.region))].sort((a, b) => (a === "unknown" ? 1 : b === "unknown" ? -1 : a.localeCompare(b)));
  const byHour = new Map<number, Record<string, number | string>>();
  for (const row of rows) {
    const hour = row.bucket.getTime();
    const point = byHour.get(hour) ?? { at: row.bucket.toISOString() };
    point[row.region] = row.medianMs;
    byHour.set(hour, point);
  }
  return { regions, points: [...byHour].sort((a, b) => a[0] - b[0]).map(([, point]) => point) };
}
