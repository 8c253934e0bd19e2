import { AUDIT_CSV_HEADER, auditCsvFilename, auditCsvRecord, auditFilterValues, auditQuery } from "@/lib/domain/audit-query";
import { recordAudit } from "@/lib/server/audit";
import { streamAuditEvents, type AuditRow } from "@/lib/server/audit/list-audit-events";
import { db } from "@/lib/server/db/client";
import { log } from "@/lib/server/log";
import { defineRoute } from "@/lib/server/route";

// Enough rows per chunk that 100k rows are a few hundred writes, not 100k.
const CHUNK_CHARS = 64 * 1024;

async function* csvChunks(first: IteratorResult<AuditRow>, rest: AsyncIterator<AuditRow>): AsyncGenerator<string> {
  yield AUDIT_CSV_HEADER;
  let chunk = "";
  for (let next = first; !next.done; next = await rest.next()) {
    chunk += auditCsvRecord(next.value);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/** Pulls a chunk only when the client has taken the previous one, so memory stays flat. */
function byteStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        // The status line is already sent; all we can do is cut the download short and log why.
        log.error({ err: error }, "audit export failed while streaming");
        controller.error(new Error("The export failed on the server."));
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * The audit log as CSV, with the page's filters. The export is itself audited. Its own entry
 * is never in its file: the first page is read before the entry is written, and paging only
 * moves to older rows, so the file is the log as it stood when the export was asked for.
 */
export const GET = defineRoute({ role: "viewer", scope: "read", query: auditQuery }, async ({ query, actor, ip }) => {
  const rows = streamAuditEvents(db, query);
  const first = await rows.next();
  const filter = auditFilterValues(query);
  await recordAudit(db, actor, {
    action: "audit.export",
    target: { type: "audit_log", id: "csv" },
    detail: { filter, ...(query.cursor !== undefined ? { cursor: String(query.cursor) } : {}) },
    ip,
  });
  return new Response(byteStream(csvChunks(first, rows)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${auditCsvFilename(new Date())}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
