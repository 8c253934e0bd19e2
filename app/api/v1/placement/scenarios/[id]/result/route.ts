import { z } from "zod";
import { scenarioCsv } from "@/lib/domain/placement/csv";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { choosePrefix, getScenarioResult } from "@/lib/server/placement/get-placement-review";
import { getScenario } from "@/lib/server/placement/scenarios";
import { defineRoute } from "@/lib/server/route";

type Params = { id: string };
const query = z.object({ prefix: z.string().trim().min(1).max(64).optional(), format: z.enum(["json", "csv"]).default("json") });

/** A scenario's predicted result for a prefix (`?prefix=`, the first otherwise), as its page shows it; `?format=csv` for a ticket. */
export const GET = defineRoute<Params, typeof query>({ role: "viewer", scope: "read", query }, async ({ params, query }) => {
  const scenario = await getScenario(db, params.id);
  const { prefix } = await choosePrefix(db, query.prefix);
  if (!prefix) throw new AppError("not_found", "The fleet has no prefix yet.");
  const result = await getScenarioResult(db, scenario.definition, prefix.id);
  if (query.format === "json") return { scenario: { id: scenario.id, name: scenario.name }, prefix, estimate: true, ...result };
  const slug = scenario.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "scenario";
  return new Response(scenarioCsv(scenario.name, prefix.cidr, result), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="catchment-scenario-${slug}.csv"`, "Cache-Control": "no-store" },
  });
});
