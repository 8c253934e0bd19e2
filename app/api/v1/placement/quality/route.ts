import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { choosePrefix, getServiceQuality } from "@/lib/server/placement/get-placement-review";
import { defineRoute } from "@/lib/server/route";

const qualityQuery = z.object({ prefix: z.string().trim().min(1).max(64).optional(), probes: z.enum(["0", "1"]).default("0") });

/**
 * Service quality of a prefix's measured catchment (`?prefix=` an id or CIDR; the first prefix
 * otherwise): by region, country and network, as /placement shows it. `probes=1` adds each
 * located probe's inflation (for a map).
 */
export const GET = defineRoute({ role: "viewer", scope: "read", query: qualityQuery }, async ({ query }) => {
  const { prefix } = await choosePrefix(db, query.prefix);
  if (!prefix) throw new AppError("not_found", "The fleet has no prefix yet.");
  const { probes, ...quality } = await getServiceQuality(db, prefix.id);
  return { prefix, ...quality, ...(query.probes === "1" ? { probes } : {}) };
});
