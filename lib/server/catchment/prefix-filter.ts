import "server-only";
import type { Db, Tx } from "../db/create-client";
import { z } from "zod";
import { parseRecordId } from "@/lib/domain/record-id";
import { AppError } from "../errors";

/** `?prefix=` (an id or a CIDR) or `?service=`: the catchment views' filter. Neither: every prefix. */
export const prefixFilterQuery = z.object({
  prefix: z.string().trim().min(1).max(64).optional(),
  service: z.string().trim().min(1).max(64).optional(),
});
export type PrefixFilter = z.infer<typeof prefixFilterQuery>;

export type ResolvedFilter = { prefixIds: number[] | null; label: string };

export async function resolvePrefixFilter(db: Db | Tx, filter: PrefixFilter): Promise<ResolvedFilter> {
  if (filter.prefix) {
    const byId = parseRecordId(filter.prefix);
    const prefix = byId !== null ? await db.prefix.findUnique({ where: { id: byId } }) : await db.prefix.findUnique({ where: { cidr: filter.prefix.toLowerCase() } });
    if (!prefix) throw new AppError("not_found", `There is no prefix ${filter.prefix}.`);
    return { prefixIds: [prefix.id], label: prefix.cidr };
  }
  if (filter.service) {
    const prefixes = await db.prefix.findMany({ where: { service: filter.service }, select: { id: true } });
    if (!prefixes.length) throw new AppError("not_found", `No prefix serves ${filter.service}.`);
    return { prefixIds: prefixes.map((p) => p.id), label: `service ${filter.service}` };
  }
  return { prefixIds: null, label: "all prefixes" };
}
