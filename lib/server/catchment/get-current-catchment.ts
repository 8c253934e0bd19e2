import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../db/client";

/**
 * Each probe's latest answer per prefix (null PoP: matched no PoP). A lateral index lookup
 * per probe and prefix keeps it fast at RIPE Atlas scale.
 */
function latestAnswers(prefixIds: number[] | null): Prisma.Sql {
  return Prisma.sql`
    SELECT p.id AS probe_id, p.latitude AS lat, p.longitude AS lon, p.country, x.id AS prefix_id, latest.pop_id
      FROM probe p
     CROSS JOIN prefix x
     CROSS JOIN LATERAL (
       SELECT m.pop_id FROM measurement m
        WHERE m.probe_id = p.id AND m.prefix_id = x.id
        ORDER BY m.measured_at DESC
        LIMIT 1
     ) latest
     WHERE ${prefixIds}::int[] IS NULL OR x.id = ANY(${prefixIds}::int[])`;
}

export type CatchmentCount = { prefixId: number; popId: number | null; probes: number };

/** The current catchment, counted per prefix and PoP. */
export async function getCurrentCatchment(): Promise<CatchmentCount[]> {
  const rows = await db.$queryRaw<{ prefix_id: number; pop_id: number | null; probes: number }[]>`
    SELECT prefix_id, pop_id, count(*)::int AS probes FROM (${latestAnswers(null)}) answers GROUP BY prefix_id, pop_id`;
  return rows.map((row) => ({ prefixId: row.prefix_id, popId: row.pop_id, probes: row.probes }));
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

export type CurrentAnswer = { probeId: number; lat: number; lon: number; country: string; prefixId: number; popId: number };

/** The current catchment answer by answer, with where each probe is (answers matched to a PoP only). */
export async function getCurrentAnswers(prefixIds?: number[]): Promise<CurrentAnswer[]> {
  const rows = await db.$queryRaw<{ probe_id: number; lat: number; lon: number; country: string; prefix_id: number; pop_id: number }[]>`
    SELECT * FROM (${latestAnswers(prefixIds ?? null)}) answers WHERE pop_id IS NOT NULL`;
  return rows.map((row) => ({ probeId: row.probe_id, lat: row.lat, lon: row.lon, country: row.country.trim(), prefixId: row.prefix_id, popId: row.pop_id }));
}
