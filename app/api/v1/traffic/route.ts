import { z } from "zod";
import type { TrafficResponse } from "@/lib/api/responses";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { defineRoute } from "@/lib/server/route";
import { getTrafficSeries } from "@/lib/server/traffic/get-traffic";

const trafficQuery = z.object({
  pop: z.string().trim().toUpperCase().optional(),
  hours: z.coerce.number().int().min(1).max(168).default(24),
});

/** Traffic against capacity in 5-minute buckets, for the fleet or one PoP (`?pop=AMS1`). */
export const GET = defineRoute({ role: "viewer", scope: "read", query: trafficQuery }, async ({ query }): Promise<TrafficResponse> => {
  let popId: number | undefined;
  if (query.pop) {
    const pop = await db.pop.findUnique({ where: { code: query.pop }, select: { id: true } });
    if (!pop) throw new AppError("not_found", `There is no PoP ${query.pop}.`);
    popId = pop.id;
  }
  return { points: await getTrafficSeries(db, { popId, hours: query.hours }) };
});
