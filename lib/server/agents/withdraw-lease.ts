import "server-only";
import { config } from "@/lib/config";
import type { LeaseRequest, LeaseResponse } from "@/lib/agent-protocol/schemas";
import { canonicalCidr } from "@/lib/domain/cidr";
import { leaseVerdict } from "@/lib/domain/operations/lease";
import { recordAudit, type Actor } from "../audit";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";
import { loadAnnouncements } from "../operations/operation-context";
import type { AgentPop } from "./agent-route";

/** How long a withdraw lease lasts; the agent renews it at a third of that and gives it up early. */
export function leaseTtlMs(): number {
  return config().CATCHMENT_LEASE_TTL_MS;
}

async function auditLease(tx: Tx, actor: Actor, pop: AgentPop, cidr: string, action: string, detail: Record<string, unknown>, ip: string | null) {
  // A refused agent asks again every few seconds while its check stays down: log the first refusal, not each.
  if (action === "lease.refused") {
    const last = await tx.auditEvent.findFirst({ where: { popId: pop.id, targetType: "prefix", targetId: cidr, action: { startsWith: "lease." } }, orderBy: { id: "desc" }, select: { action: true } });
    if (last?.action === "lease.refused") return;
  }
  await recordAudit(tx, actor, { action, target: { type: "prefix", id: cidr }, popId: pop.id, detail: detail as never, ip });
}

/**
 * Acquire, renew or release a withdraw lease. Acquire and renew run under a lock on the prefix
 * row (as requestOperation does), so concurrent requests from several PoPs are checked one
 * after the other and cannot all pass the floor. Refusal is an answer, not an error.
 */
export async function handleLeaseRequest(db: Db, pop: AgentPop, request: LeaseRequest, actor: Actor, ip: string | null, now: () => Date = () => new Date()): Promise<LeaseResponse> {
  const cidr = canonicalCidr(request.prefix) ?? request.prefix;
  const prefix = await db.prefix.findUnique({ where: { cidr }, select: { id: true, cidr: true } });
  if (!prefix) throw new AppError("not_found", `There is no prefix ${cidr}.`);
  const ttlMs = leaseTtlMs();

  if (request.action === "release") {
    if (!request.leaseId) throw new AppError("invalid_input", "leaseId is required to release a lease.");
    return db.$transaction(async (tx) => {
      const released = await tx.withdrawLease.updateMany({ where: { id: request.leaseId, popId: pop.id, prefixId: prefix.id, releasedAt: null }, data: { releasedAt: now() } });
      if (released.count > 0) await auditLease(tx, actor, pop, cidr, "lease.released", { leaseId: request.leaseId, reason: request.reason }, ip);
      return { granted: false, leaseId: request.leaseId!, ttlMs: null, expiresAt: null, message: released.count > 0 ? "Released." : "No live lease by that id: nothing to release." };
    });
  }
  if (request.action === "renew" && !request.leaseId) throw new AppError("invalid_input", "leaseId is required to renew a lease.");

  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM prefix WHERE id = ${prefix.id} FOR UPDATE`;
      const at = now();
      const [facts, announcements, live] = await Promise.all([
        tx.prefix.findUniqueOrThrow({ where: { id: prefix.id }, select: { safetyFloor: true } }),
        loadAnnouncements(tx, [prefix.id]),
        tx.withdrawLease.findMany({ where: { prefixId: prefix.id, releasedAt: null, expiresAt: { gt: at } }, select: { id: true, popId: true } }),
      ]);
      if (!announcements.some((a) => a.popId === pop.id)) throw new AppError("not_found", `${pop.code} has no announcement of ${cidr}.`);
      const own = live.find((lease) => lease.popId === pop.id);
      if (request.action === "renew" && own?.id !== request.leaseId) {
        await auditLease(tx, actor, pop, cidr, "lease.refused", { reason: request.reason, why: "expired or released" }, ip);
        return { granted: false, leaseId: null, ttlMs: null, expiresAt: null, message: "Refused: that lease has expired or was released. Stay drained and ask again." };
      }
      const verdict = leaseVerdict({
        requesterPopId: pop.id,
        cidr,
        safetyFloor: facts.safetyFloor,
        announcements,
        leaseHolders: new Set(live.map((lease) => lease.popId)),
      });
      if (!verdict.ok) {
        // A lease the floor no longer allows ends now: the agent announces drained again.
        if (own) await tx.withdrawLease.update({ where: { id: own.id }, data: { releasedAt: at } });
        await auditLease(tx, actor, pop, cidr, "lease.refused", { reason: request.reason, action: request.action, verdict: verdict.message }, ip);
        return { granted: false, leaseId: null, ttlMs: null, expiresAt: null, message: verdict.message };
      }
      const expiresAt = new Date(at.getTime() + ttlMs);
      // An acquire while already holding one (a retry whose answer was lost) extends it.
      const lease = own
        ? await tx.withdrawLease.update({ where: { id: own.id }, data: { expiresAt } })
        : await tx.withdrawLease.create({ data: { popId: pop.id, prefixId: prefix.id, grantedAt: at, expiresAt } });
      if (!own) {
        // From now on the console counts this PoP as withdrawn, before the agent's own report
        // lands: an operator's drain checked against the floor a moment later must not count it.
        await tx.announcement.updateMany({ where: { popId: pop.id, prefixId: prefix.id }, data: { observedState: "withdrawn", observedPrepend: 0, observedAt: at } });
      }
      if (!own) await auditLease(tx, actor, pop, cidr, "lease.granted", { leaseId: lease.id, reason: request.reason, verdict: verdict.message, expiresAt: expiresAt.toISOString() }, ip);
      return { granted: true, leaseId: lease.id, ttlMs, expiresAt: expiresAt.toISOString(), message: verdict.message };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}
