import "server-only";
import type { AuditQuery } from "@/lib/domain/audit-query";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "../db/create-client";

export type AuditFilter = Pick<AuditQuery, "pop" | "user" | "action" | "from" | "to" | "cursor">;

export type AuditRow = {
  id: bigint;
  at: Date;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  popId: number | null;
  /** Null when the entry names no PoP, or the PoP has since been deleted. */
  popCode: string | null;
  detail: Prisma.JsonValue;
  ip: string | null;
};

/** Where a page ends: the next one starts at the row just older than this one. */
type Position = { at: Date; id: bigint };

export const EXPORT_PAGE_SIZE = 1000;
const MAX_LIMIT = 1000;

// Prisma sends startsWith and insensitive equals to Postgres as (I)LIKE without escaping
// (prisma/prisma#19506), so "_" in "auth.sign_in" would match any character.
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/**
 * The filter as a Prisma where, or null when it can match nothing (an unknown PoP code or
 * cursor). PoP and user resolve to ids first so the (pop_id, at) and (actor_id, at) indexes apply.
 */
async function whereFor(db: Db, filter: AuditFilter): Promise<{ where: Prisma.AuditEventWhereInput; after: Position | null } | null> {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.pop) {
    const pop = await db.pop.findUnique({ where: { code: filter.pop }, select: { id: true } });
    if (!pop) return null;
    and.push({ popId: pop.id });
  }
  if (filter.user) {
    // A user's own entries by id; a name that is no (longer a) user, like "system" or a
    // mistyped sign-in name, by the name the entry kept.
    const user = await db.user.findUnique({ where: { username: filter.user.toLowerCase() }, select: { id: true } });
    and.push(user ? { actorId: user.id } : { actorName: { equals: likeLiteral(filter.user), mode: "insensitive" } });
  }
  if (filter.action) and.push({ action: { startsWith: likeLiteral(filter.action) } });
  if (filter.from) and.push({ at: { gte: filter.from.start } });
  if (filter.to) and.push({ at: { lt: filter.to.end } });
  let after: Position | null = null;
  if (filter.cursor !== undefined) {
    after = await db.auditEvent.findUnique({ where: { id: filter.cursor }, select: { at: true, id: true } });
    if (!after) return null;
  }
  return { where: { AND: and }, after };
}

/** Rows strictly after `after` in the log's order (at desc, id desc): keyset paging, no OFFSET. */
function olderThan(after: Position): Prisma.AuditEventWhereInput {
  // The first condition is a plain range on `at`, so the planner can use the indexes on it.
  return { AND: [{ at: { lte: after.at } }, { OR: [{ at: { lt: after.at } }, { id: { lt: after.id } }] }] };
}

async function readPage(db: Db, where: Prisma.AuditEventWhereInput, after: Position | null, take: number, popCodes: Map<number, string | null>): Promise<AuditRow[]> {
  const events = await db.auditEvent.findMany({
    where: after ? { AND: [where, olderThan(after)] } : where,
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take,
  });
  // audit_event.pop_id has no foreign key (the log outlives PoPs), so codes come from a second query.
  const unknown = [...new Set(events.flatMap((event) => (event.popId !== null && !popCodes.has(event.popId) ? [event.popId] : [])))];
  if (unknown.length) {
    const pops = await db.pop.findMany({ where: { id: { in: unknown } }, select: { id: true, code: true } });
    for (const id of unknown) popCodes.set(id, pops.find((pop) => pop.id === id)?.code ?? null);
  }
  return events.map((event) => ({ ...event, popCode: event.popId === null ? null : (popCodes.get(event.popId) ?? null) }));
}

/** One page of the log, newest first, and whether older entries match too. */
export async function listAuditEvents(db: Db, filter: AuditFilter, { limit = 100 }: { limit?: number } = {}): Promise<{ rows: AuditRow[]; hasMore: boolean }> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), MAX_LIMIT);
  const resolved = await whereFor(db, filter);
  if (!resolved) return { rows: [], hasMore: false };
  const rows = await readPage(db, resolved.where, resolved.after, take + 1, new Map());
  return { rows: rows.slice(0, take), hasMore: rows.length > take };
}

/**
 * Every matching row, newest first, read a page at a time so an export of any size holds one
 * page in memory. Paging only moves to older rows: an entry written after the first page was
 * read (such as the export's own audit entry) is never part of the stream.
 */
export async function* streamAuditEvents(db: Db, filter: AuditFilter, { pageSize = EXPORT_PAGE_SIZE }: { pageSize?: number } = {}): AsyncGenerator<AuditRow> {
  const resolved = await whereFor(db, filter);
  if (!resolved) return;
  const popCodes = new Map<number, string | null>();
  let after = resolved.after;
  for (;;) {
    const rows = await readPage(db, resolved.where, after, pageSize, popCodes);
    yield* rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}
