import "server-only";
import type { Db, Tx } from "../db/create-client";

// Capacity for placement review: each PoP's peak over the last 7 and 30 days, against its capacity.

export type Peak = { bps: number; at: Date };
export type PopPeak = { popId: number; code: string; capacityBps: number; peak7d: Peak | null; peak30d: Peak | null };

/** The same 5-minute buckets as the traffic charts: a peak is a bucket's average, not one sample's spike. */
const BUCKET_SECONDS = 300;

/** Every PoP not decommissioned, with its peak 5-minute traffic over 7 and 30 days (null without samples). */
export async function loadPopPeaks(db: Db | Tx, now = new Date()): Promise<PopPeak[]> {
  const since30 = new Date(now.getTime() - 30 * 86_400_000);
  const since7 = new Date(now.getTime() - 7 * 86_400_000);
  const [pops, peaks] = await Promise.all([
    db.pop.findMany({ where: { status: { not: "decommissioned" } }, select: { id: true, code: true, capacityGbps: true }, orderBy: { code: "asc" } }),
    db.$queryRaw<{ pop_id: number; window: "7d" | "30d"; bps: number; at: Date }[]>`
      WITH buckets AS (
        SELECT pop_id, date_bin(make_interval(secs => ${BUCKET_SECONDS}), at, TIMESTAMP '2000-01-01') AS at, avg(bps)::float8 AS bps
          FROM traffic_sample
         WHERE at >= ${since30} AND at <= ${now}
         GROUP BY 1, 2
      )
      (SELECT DISTINCT ON (pop_id) pop_id, '30d' AS window, bps, at FROM buckets ORDER BY pop_id, bps DESC, at DESC)
      UNION ALL
      (SELECT DISTINCT ON (pop_id) pop_id, '7d' AS window, bps, at FROM buckets WHERE at >= ${since7} ORDER BY pop_id, bps DESC, at DESC)`,
  ]);
  const peakOf = (popId: number, window: "7d" | "30d"): Peak | null => {
    const row = peaks.find((peak) => peak.pop_id === popId && peak.window === window);
    return row ? { bps: row.bps, at: row.at } : null;
  };
  return pops.map((pop) => ({ popId: pop.id, code: pop.code, capacityBps: pop.capacityGbps * 1e9, peak7d: peakOf(pop.id, "7d"), peak30d: peakOf(pop.id, "30d") }));
}
