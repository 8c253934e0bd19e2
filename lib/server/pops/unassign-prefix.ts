import "server-only";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";
import { lockAssignment } from "./assign-prefix";

type AnnouncementStates = { desiredState: string; observedState: string | null };

/**
 * Why a PoP still announces a prefix, as a sentence to act on, or null once it is withdrawn as
 * desired and as its agent last reported. Removing the prefix, or decommissioning the PoP, before
 * then would skip the withdraw's safety checks and leave the agent announcing it unwatched.
 */
export function stillAnnounced(popCode: string, cidr: string, announcement: AnnouncementStates): string | null {
  if (announcement.desiredState !== "withdrawn") {
    return `${cidr} is ${announcement.desiredState} at ${popCode}: withdraw it there first (Withdraw… on the PoP's page), so the safety checks run`;
  }
  if (announcement.observedState !== null && announcement.observedState !== "withdrawn") {
    return `The agent at ${popCode} still reports ${cidr} ${announcement.observedState}: wait until it reports the withdraw (or retry the withdraw)`;
  }
  return null;
}

/**
 * Takes a prefix away from a PoP. Only once it is withdrawn, as desired and as its agent last
 * reported: removing an announced prefix would skip the withdraw's safety checks, and the
 * agent would go on announcing it with nobody watching.
 */
export async function unassignPrefix(db: Db, code: string, cidrText: string, actor: Actor, ip: string | null) {
  const result = await db.$transaction(async (tx) => {
    const { pop, prefix, announcement } = await lockAssignment(tx, code, cidrText);
    if (!announcement) throw new AppError("not_found", `${pop.code} has no ${prefix.cidr} assigned.`);
    const stillOn = stillAnnounced(pop.code, prefix.cidr, announcement);
    if (stillOn) throw new AppError("conflict", `${stillOn}; then remove it.`);
    await tx.announcement.delete({ where: { id: announcement.id } });
    await recordAudit(tx, actor, { action: "pop.prefix.unassign", target: { type: "pop", id: pop.code }, popId: pop.id, detail: { cidr: prefix.cidr }, ip });
    return { pop, prefix };
  });
  log.info({ event: "pop.prefix_unassigned", pop: result.pop.code, prefix: result.prefix.cidr, actor: actor.name }, `${actor.name} removed ${result.prefix.cidr} from ${result.pop.code}`);
  return result;
}
