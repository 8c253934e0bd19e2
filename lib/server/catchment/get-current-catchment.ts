import "server-only";
import type { Db, Tx } from "../db/create-client";

export type CatchmentCount = { prefixId: number; popId: number | null; probes: number };

/** The current catchment (each probe's latest answer per prefix), counted per prefix and PoP. */
export async function getCurrentCatchment(db: Db | Tx): Promise<CatchmentCount[]> {
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
