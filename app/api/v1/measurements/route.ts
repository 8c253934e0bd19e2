import { z } from "zod";
import { parseBatch } from "@/lib/ingest/parse-batch";
import { LISTED_ISSUES } from "@/lib/ingest/summary";
import { INGEST_FORMATS, IngestRefusedError, MEASUREMENT_SOURCES } from "@/lib/ingest/types";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { storeBatch } from "@/lib/server/ingest/store-batch";
import { log } from "@/lib/server/log";
import { readBodyText } from "@/lib/server/request-body";
import { defineRoute } from "@/lib/server/route";

const MAX_BODY_BYTES = (Number(process.env.CATCHMENT_INGEST_MAX_MB) || 100) * 1024 * 1024;

const ingestQuery = z.object({
  format: z.enum(INGEST_FORMATS).optional(),
  source: z.enum(MEASUREMENT_SOURCES).optional(),
  prefix: z.string().trim().min(1).max(200).optional(),
});

/**
 * Stores a batch of measurements (RIPE Atlas DNS results, NDJSON, CSV) or probes (the RIPE
 * Atlas probe archive). The body is the file itself; `format` is detected when omitted.
 * 200 with what was stored and the records refused; 422 when nothing in it can be stored.
 */
// A browser session may upload these types (an API token any): never a form's.
const BODY_TYPES = ["application/json", "application/x-ndjson", "text/csv", "application/octet-stream"];

export const POST = defineRoute({ role: "operator", scope: "ingest", query: ingestQuery, contentTypes: BODY_TYPES }, async ({ request, query, actor }) => {
  const text = await readBodyText(request, MAX_BODY_BYTES);
  try {
    const batch = parseBatch(text, query.format);
    const result = await storeBatch(db, batch, { source: query.source, prefix: query.prefix });
    log.debug({ actor: actor.name, format: batch.format, stored: "written" in result ? result.written : result.stored }, "ingest batch stored");
    return { format: batch.format, ...result };
  } catch (error) {
    if (!(error instanceof IngestRefusedError)) throw error;
    throw new AppError("refused", error.message, undefined, {
      reason: error.code,
      issueCount: error.issues.length,
      issues: error.issues.slice(0, LISTED_ISSUES),
    });
  }
});
