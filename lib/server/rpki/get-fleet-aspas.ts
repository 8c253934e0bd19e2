import "server-only";
import type { Db, Tx } from "../db/create-client";
import { toStoredAspa } from "./rpki-store";

/** The ASPA objects whose customer is one of the fleet's origin ASNs, and how many are stored in all. */
export async function getFleetAspas(db: Db | Tx) {
  const prefixes = await db.prefix.findMany({ distinct: ["originAsn"], select: { originAsn: true }, orderBy: { originAsn: "asc" } });
  const origins = prefixes.map((prefix) => prefix.originAsn);
  const [rows, total] = await Promise.all([
    db.aspa.findMany({ where: { customerAsn: { in: origins } }, omit: { createdAt: true }, orderBy: [{ customerAsn: "asc" }, { source: "asc" }, { id: "asc" }] }),
    db.aspa.count(),
  ]);
  return { origins: origins.map(Number), aspas: rows.map(toStoredAspa), total };
}
