import { z } from "zod";
import { nMinusOneCsv } from "@/lib/domain/placement/csv";
import { db } from "@/lib/server/db/client";
import { getNMinusOne } from "@/lib/server/placement/get-placement-review";
import { defineRoute } from "@/lib/server/route";

const query = z.object({ format: z.enum(["json", "csv"]).default("json") });

/** The N-1 table as /placement shows it: each PoP lost at its 7-day peak, worst first. An estimate. `?format=csv` for a ticket. */
export const GET = defineRoute({ role: "viewer", scope: "read", query }, async ({ query }) => {
  const rows = await getNMinusOne(db);
  if (query.format === "json") return { rows };
  return new Response(nMinusOneCsv(rows), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="catchment-n-minus-one-${new Date().toISOString().slice(0, 10)}.csv"`, "Cache-Control": "no-store" },
  });
});
