import "server-only";
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

export type CurrentAnswer = { probeId: number; lat: number; lon: number; country: string | null; prefixId: number; popId: number };

/** The current catchment answer by answer, with where each probe is (answers matched to a PoP only). */
export async function getCurrentAnswers(prefixIds?: number[]): Promise<CurrentAnswer[]> {
  const rows = await db.currentCatchment.findMany({
    where: { popId: { not: null }, ...(prefixIds ? { prefixId: { in: prefixIds } } : {}) },
    select: { probeId: true, prefixId: true, popId: true, probe: { select: { latitude: true, longitude: true, country: true } } },
  });
  return rows.map((row) => ({ probeId: row.probeId, lat: row.probe.latitude, lon: row.probe.longitude, country: row.probe.country?.trim() ?? null, prefixId: row.prefixId, popId: row.popId! }));
}
