import { z } from "zod";
import type { CatchmentHistoryResponse } from "@/lib/api/responses";
import { getCatchmentHistory } from "@/lib/server/catchment/get-catchment-history";
import { prefixFilterQuery, resolvePrefixFilter } from "@/lib/server/catchment/prefix-filter";
import { defineRoute } from "@/lib/server/route";
import { db } from "@/lib/server/db/client";

const historyQuery = prefixFilterQuery.extend({ hours: z.coerce.number().int().min(1).max(168).default(24) });

/** Catchment share per PoP, median RTT per region (hourly) and flips, for `?prefix=` or `?service=`. */
export const GET = defineRoute({ role: "viewer", scope: "read", query: historyQuery }, async ({ query }): Promise<CatchmentHistoryResponse> => {
  const filter = await resolvePrefixFilter(db, query);
  return { filter: filter.label, ...(await getCatchmentHistory(db, filter.prefixIds, query.hours)) };
});
