import { db } from "@/lib/server/db/client";
import { getNMinusOne } from "@/lib/server/placement/get-placement-review";
import { defineRoute } from "@/lib/server/route";

/** The N-1 table as /placement shows it: each PoP lost at its 7-day peak, worst first. An estimate. */
export const GET = defineRoute({ role: "viewer", scope: "read" }, async () => ({ rows: await getNMinusOne(db) }));
