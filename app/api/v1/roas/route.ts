import { z } from "zod";
import { effectiveVrps } from "@/lib/domain/roas/roa-import";
import { toRoutinatorCsv, toRoutinatorJson } from "@/lib/domain/roas/vrp-export";
import { db } from "@/lib/server/db/client";
import { defineRoute } from "@/lib/server/route";
import { loadFilters, loadStoredAspas, loadStoredRoas } from "@/lib/server/rpki/rpki-store";

const query = z.object({
  format: z.enum(["csv", "json"]).default("json"),
  /** effective: what validation uses (unexpired, SLURM filters applied), and unexpired ASPA objects. stored: every ROA and ASPA object the console holds. */
  set: z.enum(["effective", "stored"]).default("effective"),
});

/** GET /api/v1/roas?format=csv|json&set=effective|stored: the ROAs (and in JSON the ASPA objects) in Routinator's formats, which re-import. */
export const GET = defineRoute({ role: "viewer", scope: "read", query }, async ({ query }) => {
  const [stored, filters, storedAspas] = await Promise.all([loadStoredRoas(db), loadFilters(db), loadStoredAspas(db)]);
  const now = new Date();
  const vrps = query.set === "stored" ? stored : effectiveVrps(stored, filters, now).vrps.map((vrp) => vrp.roa);
  const aspas = query.set === "stored" ? storedAspas : storedAspas.filter((aspa) => aspa.expiresAt === null || aspa.expiresAt > now);
  const stamp = now.toISOString().slice(0, 10);
  const filename = `catchment-roas-${query.set}-${stamp}.${query.format}`;
  const body = query.format === "csv" ? toRoutinatorCsv(vrps) : toRoutinatorJson(vrps, aspas, now);
  return new Response(body, {
    headers: {
      "Content-Type": query.format === "csv" ? "text/csv; charset=utf-8" : "application/json",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
});
