import "server-only";
import type { Db, Tx } from "../db/create-client";

export async function getPrefixForEdit(db: Db | Tx, id: number) {
  const prefix = await db.prefix.findUnique({ where: { id } });
  return prefix ? { ...prefix, originAsn: Number(prefix.originAsn) } : null;
}
