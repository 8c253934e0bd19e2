import "server-only";
import { db } from "../db/client";

export type CatchmentCount = { prefixId: number; popId: number | null; probes: number };

/**
 * The current catchment: for every probe and prefix, the PoP of its latest answer, counted per
 * prefix and PoP. A lateral index lookup per probe and prefix keeps it fast at RIPE Atlas scale.
 */
export async function getCurrentCatchment(): Promise<CatchmentCount[]> {
  const rows = await db.$queryRaw<{ prefix_id: number; pop_id: number | null; probes: number }[]>`
    SELECT x.id AS prefix_id, latest.pop_id, count(*)::int AS probes
      FROM probe p
     CROSS JOIN prefix x
     CROSS JOIN LATERAL (
       SELECT m.pop_id FROM measurement m
        WHERE m.probe_id = p.id AND m.prefix_id = x.id
        ORDER BY m.measured_at DESC
        LIMIT 1
     ) latest
     GROUP BY x.id, latest.pop_id`;
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

/** Each probe's latest answer per prefix (matched to a PoP), with where the probe is. */
export async function getCurrentAnswers(prefixIds?: number[]): Promise<CurrentAnswer[]> {
  const filter = prefixIds ?? null;
  const rows = await db.$queryRaw<{ probe_id: number; lat: number; lon: number; country: string; prefix_id: number; pop_id: number }[]>`
    SELECT p.id AS probe_id, p.latitude AS lat, p.longitude AS lon, p.country, x.id AS prefix_id, latest.pop_id
      FROM probe p
     CROSS JOIN prefix x
     CROSS JOIN LATERAL (
       SELECT m.pop_id FROM measurement m
        WHERE m.probe_id = p.id AND m.prefix_id = x.id
        ORDER BY m.measured_at DESC
        LIMIT 1
     ) latest
     WHERE latest.pop_id IS NOT NULL AND (${filter}::int[] IS NULL OR x.id = ANY(${filter}::int[]))`;
  return rows.map((row) => ({ probeId: row.probe_id, lat: row.lat, lon: row.lon, country: row.country.trim(), prefixId: row.prefix_id, popId: row.pop_id }));
}
