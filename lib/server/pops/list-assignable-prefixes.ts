import "server-only";
import { db } from "../db/client";

/** The fleet's prefixes this PoP is not given yet, for the assign form. */
export async function listAssignablePrefixes(popId: number) {
  return db.prefix.findMany({
    where: { announcements: { none: { popId } } },
    select: { cidr: true, service: true },
    orderBy: { cidr: "asc" },
  });
}
