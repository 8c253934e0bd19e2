import "server-only";
import { recordAudit, type Actor } from "../audit";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * Why a PoP has a history that deleting it would erase, in the operator's words; empty when
 * it has never announced anything. It has announced when any of these exists: an operation
 * or operation step naming it; a measurement, catchment row, hourly share or catchment flip
 * answered by it (the hourly shares outlive the measurements); a traffic sample; a withdraw
 * lease (only an announcing agent asks for one); an announcement desired announced or drained,
 * or that its agent reported announced or drained.
 */
export async function popHistory(db: Db | Tx, popId: number): Promise<string[]> {
  const [operations, steps, measurements, catchment, traffic, leases, announced, [counts]] = await Promise.all([
    db.operation.count({ where: { popId } }),
    db.operationStep.count({ where: { popId } }),
    db.measurement.count({ where: { popId } }),
    db.currentCatchment.count({ where: { popId } }),
    db.trafficSample.count({ where: { popId } }),
    db.withdrawLease.count({ where: { popId } }),
    db.announcement.count({ where: { popId, OR: [{ desiredState: { not: "withdrawn" } }, { observedState: { in: ["announced", "drained"] } }] } }),
    db.$queryRaw<{ hourly: number; flips: number }[]>`
      SELECT (SELECT count(*)::int FROM catchment_hourly WHERE pop_id = ${popId}) AS hourly,
             (SELECT count(*)::int FROM catchment_flip WHERE from_pop_id = ${popId} OR to_pop_id = ${popId}) AS flips`,
  ]);
  const reasons: string[] = [];
  if (operations + steps > 0) reasons.push(`${plural(Math.max(operations, steps), "recorded operation")} name${Math.max(operations, steps) === 1 ? "s" : ""} it`);
  if (announced > 0) reasons.push(`${plural(announced, "prefix", "prefixes")} ${announced === 1 ? "is" : "are"} or ${announced === 1 ? "was" : "were"} announced there`);
  if (measurements + catchment + (counts?.hourly ?? 0) + (counts?.flips ?? 0) > 0) reasons.push("probes have measured it answering");
  if (traffic > 0) reasons.push(`it has ${plural(traffic, "traffic sample")}`);
  if (leases > 0) reasons.push(`its agent has held ${plural(leases, "withdraw lease")}`);
  return reasons;
}

/**
 * Deletes a PoP that has never announced anything (see popHistory), with its upstreams,
 * withdrawn assignments and health records; the audit log keeps what it was. A PoP with a
 * history is refused with the reasons: decommission it instead.
 */
export async function deletePop(db: Db, code: string, actor: Actor, ip: string | null) {
  const pop = await db.$transaction(async (tx) => {
    const found = await tx.pop.findUnique({ where: { code: code.toUpperCase() }, include: { upstreams: true, announcements: { include: { prefix: true } } } });
    if (!found) throw new AppError("not_found", `There is no PoP ${code.toUpperCase()}.`);
    // Locks the row: an operation or a report cannot add history between the check and the delete.
    await tx.$queryRaw`SELECT id FROM pop WHERE id = ${found.id} FOR UPDATE`;
    const history = await popHistory(tx, found.id);
    if (history.length > 0) {
      throw new AppError("conflict", `${found.code} cannot be deleted: ${history.join("; ")}. Deleting it would erase that history: decommission it instead.`);
    }
    await tx.pop.delete({ where: { id: found.id } });
    await recordAudit(tx, actor, {
      action: "pop.delete",
      target: { type: "pop", id: found.code },
      popId: found.id,
      detail: {
        name: found.name, city: found.city, country: found.country, region: found.region, capacityGbps: found.capacityGbps, agentUrl: found.agentUrl,
        upstreams: found.upstreams.map((u) => `${u.name} AS${u.peerAsn} ${u.peerAddress}`),
        prefixes: found.announcements.map((a) => a.prefix.cidr),
      },
      ip,
    });
    return found;
  });
  log.info({ event: "pop.deleted", pop: pop.code, actor: actor.name }, `${actor.name} deleted PoP ${pop.code}, which had never announced anything`);
  return pop;
}
