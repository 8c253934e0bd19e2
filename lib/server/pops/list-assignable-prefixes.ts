import "server-only";
import type { Db, Tx } from "../db/create-client";

/** The fleet's prefixes this PoP is not given yet, for the assign form. */
export async function listAssignablePrefixes(db: Db | Tx, popId: number) {
  return db.prefix.findMany({
    where: { announcements: { none: { popId } } },
    select: { cidr: true, service: true },
    orderBy: { cidr: "asc" },
  });
}
