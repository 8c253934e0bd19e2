import "server-only";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";
import { lockAssignment } from "./assign-prefix";

/**
 * Takes a prefix away from a PoP. Only once it is withdrawn, as desired and as its agent last
 * reported: removing an announced prefix would skip the withdraw's safety checks, and the
 * agent would go on announcing it with nobody watching.
 */
export async function unassignPrefix(db: Db, code: string, cidrText: string, actor: Actor, ip: string | null) {
  const result = await db.$transaction(async (tx) => {
    const { pop, prefix, announcement } = await lockAssignment(tx, code, cidrText);
    if (!announcement) throw new AppError("not_found", `${pop.code} has no ${prefix.cidr} assigned.`);
    if (announcement.desiredState !== "withdrawn") {
      throw new AppError("conflict", `${prefix.cidr} is ${announcement.desiredState} at ${pop.code}: withdraw it there first (Withdraw… on the PoP's page), so the safety checks run; then remove it.`);
    }
    if (announcement.observedState !== null && announcement.observedState !== "withdrawn") {
      throw new AppError("conflict", `The agent at ${pop.code} still reports ${prefix.cidr} ${announcement.observedState}: wait until it reports the withdraw (or retry the withdraw), then remove it.`);
    }
    await tx.announcement.delete({ where: { id: announcement.id } });
    await recordAudit(tx, actor, { action: "pop.prefix.unassign", target: { type: "pop", id: pop.code }, popId: pop.id, detail: { cidr: prefix.cidr }, ip });
    return { pop, prefix };
  });
  log.info({ event: "pop.prefix_unassigned", pop: result.pop.code, prefix: result.prefix.cidr, actor: actor.name }, `${actor.name} removed ${result.prefix.cidr} from ${result.pop.code}`);
  return result;
}
