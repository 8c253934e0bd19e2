import "server-only";
import { parseCidr } from "@/lib/domain/cidr";
import { recordAudit, type Actor } from "../audit";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";

/** The PoP and the prefix an assignment names, with the prefix's row locked as operations lock it. */
export async function lockAssignment(tx: Tx, code: string, cidrText: string) {
  const parsed = parseCidr(cidrText);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.error, { cidr: [parsed.error] });
  const cidr = parsed.cidr.text;
  const pop = await tx.pop.findUnique({ where: { code: code.toUpperCase() } });
  if (!pop) throw new AppError("not_found", `There is no PoP ${code.toUpperCase()}.`);
  const prefix = await tx.prefix.findUnique({ where: { cidr } });
  if (!prefix) throw new AppError("not_found", `There is no prefix ${cidr}: create it under Prefixes first.`, { cidr: [`${cidr} is not one of the fleet's prefixes.`] });
  // The same lock an operation takes while it checks the safety floor: neither sees the other half done.
  await tx.$queryRaw`SELECT id FROM prefix WHERE id = ${prefix.id} FOR UPDATE`;
  const announcement = await tx.announcement.findUnique({ where: { popId_prefixId: { popId: pop.id, prefixId: prefix.id } } });
  return { pop, prefix, announcement };
}

/**
 * Gives a PoP a prefix to announce. It starts withdrawn: an operator announces it with a
 * restore, through the operation's safety and RPKI checks. Assigning it again changes nothing.
 */
export async function assignPrefix(db: Db, code: string, cidrText: string, actor: Actor, ip: string | null) {
  const result = await db.$transaction(async (tx) => {
    const { pop, prefix, announcement } = await lockAssignment(tx, code, cidrText);
    if (announcement) return { pop, prefix, announcement, created: false };
    const created = await tx.announcement.create({
      data: { popId: pop.id, prefixId: prefix.id, desiredState: "withdrawn", reason: "assigned; not announced yet" },
    });
    await recordAudit(tx, actor, { action: "pop.prefix.assign", target: { type: "pop", id: pop.code }, popId: pop.id, detail: { cidr: prefix.cidr, desiredState: "withdrawn" }, ip });
    return { pop, prefix, announcement: created, created: true };
  });
  if (result.created) {
    log.info({ event: "pop.prefix_assigned", pop: result.pop.code, prefix: result.prefix.cidr, actor: actor.name }, `${actor.name} assigned ${result.prefix.cidr} to ${result.pop.code} (withdrawn until restored)`);
  }
  return result;
}
