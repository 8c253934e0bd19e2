import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { streamRecommendations } from "@/lib/server/placement/get-placement-review";
import { defineRoute } from "@/lib/server/route";

const recommendationInput = z.object({
  prefix: z.string().trim().min(1).max(64).optional(),
  k: z.number().int().min(1, "k is 1 to 5.").max(5, "k is 1 to 5."),
  objective: z.enum(["traffic-p90", "worst-region-p90"]),
  /** "Nairobi, KE" per entry; none: the 1,000 largest cities. */
  cities: z.array(z.string().trim().min(1).max(100)).max(2000, "At most 2,000 cities.").optional(),
});

/**
 * Where k new sites would help a prefix most, and which PoP costs least to remove: NDJSON,
 * progress lines while it computes, then the result (see streamRecommendations). A read: it
 * changes nothing; POST because a pasted city list can be long.
 */
export const POST = defineRoute({ role: "viewer", scope: "read", body: recommendationInput }, async ({ body }) =>
  new Response(await streamRecommendations(db, body), { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store" } }),
);
