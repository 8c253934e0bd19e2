import "server-only";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";
import { stillAnnounced } from "./unassign-prefix";

/**
 * Marks a PoP decommissioned: it keeps its history, and the poller stops asking its agent. Only
 * once every prefix is withdrawn there, as desired and as reported: a decommissioned PoP's agent
 * is no longer heard, so one still announcing would do so with nobody watching.
 */
export async function decommissionPop(db: Db, code: string, actor: Actor, ip: string | null) {
  const pop = await db.$transaction(async (tx) => {
    const found = await tx.pop.findUnique({ where: { code: code.toUpperCase() } });
    if (!found) throw new AppError("not_found", `There is no PoP ${code.toUpperCase()}.`);
    if (found.status === "decommissioned") return found;
    // An operation on this PoP locks its prefixes; this lock keeps two admins' changes apart.
    await tx.$queryRaw`SELECT id FROM pop WHERE id = ${found.id} FOR UPDATE`;
    const announcements = await tx.announcement.findMany({ where: { popId: found.id }, include: { prefix: { select: { cidr: true } } } });
    const reasons = announcements.map((a) => stillAnnounced(found.code, a.prefix.cidr, a)).filter((reason): reason is string => reason !== null);
    if (reasons.length) throw new AppError("conflict", `${found.code} still announces: ${reasons.join(". ")}. Then decommission it.`);
    const updated = await tx.pop.update({ where: { id: found.id }, data: { status: "decommissioned" } });
    await recordAudit(tx, actor, { action: "pop.decommission", target: { type: "pop", id: found.code }, popId: found.id, detail: { from: found.status }, ip });
    return updated;
  });
  log.info({ event: "pop.decommissioned", pop: pop.code, actor: actor.name }, `${actor.name} decommissioned PoP ${pop.code}`);
  return pop;
}
