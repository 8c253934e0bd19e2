import "server-only";
import { db } from "../db/client";

export async function getPrefixForEdit(id: number) {
  const prefix = await db.prefix.findUnique({ where: { id } });
  return prefix ? { ...prefix, originAsn: Number(prefix.originAsn) } : null;
}
