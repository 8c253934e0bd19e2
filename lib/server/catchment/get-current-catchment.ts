import "server-only";
import type { CatchmentAnswer } from "@/lib/domain/operations/capacity";
import { db } from "../db/client";

export type CatchmentCount = { prefixId: number; popId: number | null; probes: number };

/** The current catchment (each probe's latest answer per prefix), counted per prefix and PoP. */
export async function getCurrentCatchment(): Promise<CatchmentCount[]> {
  const rows = await db.currentCatchment.groupBy({ by: ["prefixId", "popId"], _count: { _all: true } });
  return rows.map((row) => ({ prefixId: row.prefixId, popId: row.popId, probes: row._count._all }));
}

/** Share of all (probe, prefix) answers that land on each PoP. */
export function sharesByPop(counts: readonly CatchmentCount[]): Map<number, number> {
  const total = counts.reduce((sum, row) => sum + row.probes, 0);
  const shares = new Map<number, number>();
  if (total === 0) return shares;
  for (const row of counts) {
    if (row.popId === null) continue;
    shares.set(row.popId, (shares.get(row.popId) ?? 0) + row.probes / total);
  }
  return shares;
}

export type CurrentAnswer = CatchmentAnswer;

/**
 * The current catchment answer by answer, with where each probe is (answers matched to a PoP
 * only). Probes without coordinates (catchment-file /24s) come grouped per prefix, PoP and
 * country, so a scan of a million /24s is not a million rows here.
 */
export async function getCurrentAnswers(prefixIds?: number[]): Promise<CurrentAnswer[]> {
  const only = prefixIds ?? null;
  const rows = await db.$queryRaw<{ probe_id: number | null; lat: number | null; lon: number | null; country: string | null; prefix_id: number; pop_id: number; probes: number }[]>`
    SELECT c.probe_id, p.latitude AS lat, p.longitude AS lon, rtrim(p.country) AS country, c.prefix_id, c.pop_id, 1 AS probes
      FROM current_catchment c JOIN probe p ON p.id = c.probe_id
     WHERE c.pop_id IS NOT NULL AND p.latitude IS NOT NULL AND (${only}::int4[] IS NULL OR c.prefix_id = ANY(${only}::int4[]))
    UNION ALL
    SELECT NULL, NULL, NULL, rtrim(p.country), c.prefix_id, c.pop_id, count(*)::int4
      FROM current_catchment c JOIN probe p ON p.id = c.probe_id
     WHERE c.pop_id IS NOT NULL AND p.latitude IS NULL AND (${only}::int4[] IS NULL OR c.prefix_id = ANY(${only}::int4[]))
     GROUP BY rtrim(p.country), c.prefix_id, c.pop_id`;
  return rows.map((row) => ({
    probeId: row.probe_id,
    lat: row.lat,
    lon: row.lon,
    country: row.country,
    prefixId: row.prefix_id,
    popId: row.pop_id,
    probes: row.probes,
  }));
}
