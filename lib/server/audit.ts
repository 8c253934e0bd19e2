// No "server-only": the token CLI (scripts/token.ts) creates and revokes tokens too.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db, Tx } from "./db/create-client";

export type Actor = { id: string | null; name: string };

export const SYSTEM_ACTOR: Actor = { id: null, name: "system" };

export type AuditEntry = {
  action: string;
  target?: { type: string; id: string | number };
  popId?: number | null;
  detail?: Prisma.InputJsonValue;
  ip?: string | null;
};

/** Appends to the audit log. Pass the transaction that makes the change, so both land or neither. */
export async function recordAudit(db: Db | Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: actor.id,
      actorName: actor.name,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target ? String(entry.target.id) : null,
      popId: entry.popId ?? null,
      detail: entry.detail ?? {},
      ip: entry.ip ?? null,
    },
  });
}
