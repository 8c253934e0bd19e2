import "server-only";
import type { Db, Tx } from "../db/create-client";

/** A ROA for its edit form: only manual ROAs are edited in the console. */
export async function getManualRoa(db: Db | Tx, id: number) {
  const roa = await db.roa.findUnique({ where: { id } });
  return roa && roa.source === "manual" ? { ...roa, asn: Number(roa.asn) } : null;
}
