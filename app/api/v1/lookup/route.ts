import { z } from "zod";
import { MEASUREMENT_SOURCES } from "@/lib/ingest/types";
import { lookupProbe } from "@/lib/server/catchment/lookup-probe";
import { defineRoute } from "@/lib/server/route";
import { db } from "@/lib/server/db/client";

const lookupQuery = z.object({ q: z.string().trim().min(1).max(100), source: z.enum(MEASUREMENT_SOURCES).optional() });

/** Which PoP served a probe (`?q=` its id or public address): latest answers and the last day's. */
export const GET = defineRoute({ role: "viewer", scope: "read", query: lookupQuery }, async ({ query }) => lookupProbe(db, query.q, query.source));
