import { config } from "@/lib/config";
import { z } from "zod";
import { streamInput } from "@/lib/ingest/parse-batch";
import { LISTED_ISSUES } from "@/lib/ingest/summary";
import { INGEST_FORMATS, IngestRefusedError, MEASUREMENT_SOURCES } from "@/lib/ingest/types";
import { hashToken } from "@/lib/server/auth/api-token";
import { databaseUrl, db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { claimIngestSlot, INGEST_RETRY_AFTER_SECONDS } from "@/lib/server/ingest/ingest-slots";
import { storeStreamedBatch } from "@/lib/server/ingest/store-streamed-batch";
import { log } from "@/lib/server/log";
import { spoolBody, type SpooledBody } from "@/lib/server/request-body-stream";
import { defineRoute, errorResponse } from "@/lib/server/route";

// Bodies are spooled to a temporary file and parsed and stored from it piece by piece, so memory
// does not grow with the body; the limit bounds how long one batch holds its transaction and a
// share of the server, and the disk a batch takes for a while (README, Configuration).
const maxBodyBytes = () => config().CATCHMENT_INGEST_MAX_MB * 1024 * 1024;
// A gzip body is bounded in what it decompresses to as well: CSV compresses 4 to 8 times, and a
// few KB of gzip can hold gigabytes.
const maxDecodedBytes = () => 10 * maxBodyBytes();

const ingestQuery = z.object({
  format: z.enum(INGEST_FORMATS).optional(),
  source: z.enum(MEASUREMENT_SOURCES).optional(),
  prefix: z.string().trim().min(1).max(200).optional(),
  /** The time of a catchment file's replies that carry none (MAnycastR's Verfploeter mode). */
  measuredAt: z.iso
    .datetime({ offset: true })
    .transform((text) => new Date(text))
    .optional(),
});

// A browser session may upload these types (an API token any): never a form's.
const BODY_TYPES = ["application/json", "application/x-ndjson", "text/csv", "application/gzip", "application/vnd.apache.parquet", "application/octet-stream"];

/**
 * Stores a batch of measurements (RIPE Atlas DNS results, NDJSON, CSV, a Verfploeter or
 * MAnycastR catchment file) or probes (the RIPE Atlas probe archive). The body is the file
 * itself, gzipped or not (told by its first bytes); `format` is detected when omitted.
 * 200 with what was stored and the records refused; 422 when nothing in it can be stored;
 * 429 (Retry-After) while the same token's previous batch is still being stored.
 */
export const POST = defineRoute({ role: "operator", scope: "ingest", query: ingestQuery, contentTypes: BODY_TYPES }, async ({ request, query, actor, user }) => {
  const authorization = request.headers.get("authorization");
  // The token's hash, never the token, names its slot.
  const client = authorization?.startsWith("Bearer ") ? `token:${hashToken(authorization.slice(7).trim())}` : `user:${user.id}`;
  const slot = claimIngestSlot(client);
  if (!slot) {
    log.info({ event: "ingest.busy", actor: actor.name }, `ingest by ${actor.name} refused: their previous batch is still being stored`);
    const response = errorResponse(
      new AppError("rate_limited", `The previous batch of this ${client.startsWith("token:") ? "token" : "user"} is still being stored; send this one after it.`),
    );
    response.headers.set("Retry-After", String(INGEST_RETRY_AFTER_SECONDS));
    return response;
  }
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  let body: SpooledBody | null = null;
  try {
    body = await spoolBody(request, maxBodyBytes());
    const batch = await streamInput(body.bytes, query.format, { measuredAt: query.measuredAt, maxDecodedBytes: maxDecodedBytes() });
    const result = await storeStreamedBatch(db, databaseUrl(), batch, { source: query.source, prefix: query.prefix });
    log.info(
      { event: "ingest.batch", actor: actor.name, format: batch.format, stored: result.stored, refused: result.issueCount, seconds: seconds() },
      `ingest by ${actor.name}: ${result.stored} ${result.kind} stored, ${result.issueCount} records refused (${batch.format}, ${seconds()} s)`,
    );
    return { format: batch.format, ...result };
  } catch (error) {
    if (error instanceof IngestRefusedError || error instanceof AppError) {
      log.info(
        { event: "ingest.refused", actor: actor.name, format: query.format ?? null, reason: error.code, refused: error instanceof IngestRefusedError ? error.issueCount : 0, seconds: seconds() },
        `ingest by ${actor.name} refused whole: ${error.message}`,
      );
    }
    if (!(error instanceof IngestRefusedError)) throw error;
    if (error.code === "too_large") throw new AppError("too_large", error.message);
    throw new AppError("refused", error.message, undefined, {
      reason: error.code,
      issueCount: error.issueCount,
      issues: error.issues.slice(0, LISTED_ISSUES),
    });
  } finally {
    await body?.discard();
    slot.release();
  }
});
