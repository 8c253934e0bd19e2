import "server-only";
import { db } from "../db/client";

/** A ROA for its edit form: only manual ROAs are edited in the console. */
export async function getManualRoa(id: number) {
  const roa = await db.roa.findUnique({ where: { id } });
  return roa && roa.source === "manual" ? { ...roa, asn: Number(roa.asn) } : null;
}
