import "server-only";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";

/** Marks a PoP decommissioned: it keeps its history, and the poller stops asking its agent. */
export async function decommissionPop(db: Db, code: string, actor: Actor, ip: string | null) {
  const pop = await db.$transaction(async (tx) => {
    const found = await tx.pop.findUnique({ where: { code: code.toUpperCase() } });
    if (!found) throw new AppError("not_found", `There is no PoP ${code.toUpperCase()}.`);
    if (found.status === "decommissioned") return found;
    const updated = await tx.pop.update({ where: { id: found.id }, data: { status: "decommissioned" } });
    await recordAudit(tx, actor, { action: "pop.decommission", target: { type: "pop", id: found.code }, popId: found.id, detail: { from: found.status }, ip });
    return updated;
  });
  log.info({ event: "pop.decommissioned", pop: pop.code, actor: actor.name }, `${actor.name} decommissioned PoP ${pop.code}`);
  return pop;
}
