import "server-only";
import type { Db, Tx } from "../db/create-client";

export type TrafficPoint = { at: string; bps: number; capacityBps: number };

const BUCKET_SECONDS = 300;

/** Traffic over the last `hours`, in 5-minute buckets, for one PoP or (popId omitted) the whole fleet. */
export async function getTrafficSeries(db: Db | Tx, options: { popId?: number; hours?: number } = {}): Promise<TrafficPoint[]> {
  const hours = options.hours ?? 24;
  const since = new Date(Date.now() - hours * 3600_000);
  const popId = options.popId ?? null;
  // Average each PoP within a bucket, then add the PoPs up: right whatever the sampling rate.
  const rows = await db.$queryRaw<{ bucket: Date; bps: number }[]>`
    SELECT bucket, sum(pop_bps)::float8 AS bps FROM (
      SELECT t.pop_id,
             date_bin(make_interval(secs => ${BUCKET_SECONDS}), t.at, TIMESTAMP '2000-01-01') AS bucket,
             avg(t.bps) AS pop_bps
        FROM traffic_sample t
       WHERE t.at >= ${since} AND (${popId}::int IS NULL OR t.pop_id = ${popId}::int)
       GROUP BY 1, 2
    ) per_pop
     GROUP BY bucket
     ORDER BY bucket`;
  const capacity = await db.pop.aggregate({
    _sum: { capacityGbps: true },
    where: popId === null ? { status: { not: "decommissioned" } } : { id: popId },
  });
  const capacityBps = (capacity._sum.capacityGbps ?? 0) * 1e9;
  return rows.map((row) => ({ at: row.bucket.toISOString(), bps: row.bps, capacityBps }));
}

/** The latest traffic sample of each PoP within a day: one index lookup per PoP. */
export async function getLatestTraffic(db: Db | Tx): Promise<Map<number, { bps: number; at: Date }>> {
  const rows = await db.$queryRaw<{ pop_id: number; bps: number; at: Date }[]>`
    SELECT p.id AS pop_id, t.bps, t.at
      FROM pop p
     CROSS JOIN LATERAL (
       SELECT bps, at FROM traffic_sample WHERE pop_id = p.id ORDER BY at DESC LIMIT 1
     ) t
     WHERE t.at >= now() - interval '1 day'`;
  return new Map(rows.map((row) => [row.pop_id, { bps: row.bps, at: row.at }]));
}
