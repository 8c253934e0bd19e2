import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { targetPrefixIds, withdrawConfirmation, type OperationInput } from "@/lib/domain/operations/operation-input";
import { planOperation } from "@/lib/domain/operations/plan";
import { checkCapacity, checkFloor, checkRpki, verdictOf, type Verdict } from "@/lib/domain/operations/safety";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";
import { findOperationTarget, loadAnnouncements, loadPopCodes, loadPrefixFacts } from "./operation-context";
import { estimateCapacity } from "./preview-operation";

export type Requester = Actor & { id: string; role: Role };

export type RequestedOperation =
  | { status: "accepted"; operationId: string; verdict: Verdict; overridden: boolean }
  | { status: "refused"; operationId: string; verdict: Verdict };

/** The transaction that checks and records an operation: it may wait for the prefixes' locks. */
export const RECORDING_TRANSACTION = { maxWait: 10_000, timeout: 20_000 };

/**
 * Validates, plans and checks an operation, then records it, all in one transaction that
 * holds a lock on the prefixes it changes: two operators acting at once are checked one
 * after the other against the floor, so they cannot both pass. Calls no agent: see
 * execute-operation.ts. A refused request is recorded too, and nothing changes.
 */
export async function requestOperation(db: Db, input: OperationInput, requester: Requester, ip: string | null): Promise<RequestedOperation> {
  if (input.overrideReason && !roleAtLeast(requester.role, "admin")) {
    throw new AppError("forbidden", "Only an admin may override a safety check.");
  }
  const confirmation = withdrawConfirmation(input.popCodes);
  if (input.kind === "withdraw" && input.confirmCode?.toUpperCase() !== confirmation) {
    throw new AppError("invalid_input", `Type ${confirmation} to confirm the withdraw.`, { confirmCode: [`Type ${confirmation} to confirm.`] });
  }
  const only = targetPrefixIds(input);
  const target = await findOperationTarget(db, input.popCodes, only);
  const popId = target.popIds.length === 1 ? target.popIds[0]! : null;
  const request = { kind: input.kind, popIds: target.popIds, prefixIds: only, prependCount: input.prependCount };
  const names = target.pops.map((pop) => pop.code).join(", ");
  // The capacity estimate reads the catchment, too much to do under the lock; it is an estimate anyway.
  const snapshot = await loadAnnouncements(db, target.prefixIds);
  const snapshotSteps = planOperation(request, snapshot);
  const { capacity, predictions } = await estimateCapacity(db, snapshotSteps, snapshot, target.prefixIds);

  const requested = await db.$transaction(async (tx): Promise<RequestedOperation> => {
    await tx.$queryRaw`SELECT id FROM prefix WHERE id = ANY(${target.prefixIds}::int[]) ORDER BY id FOR UPDATE`;
    const [announcements, prefixes, popCodes] = await Promise.all([loadAnnouncements(tx, target.prefixIds), loadPrefixFacts(tx, target.prefixIds), loadPopCodes(tx)]);
    const steps = planOperation(request, announcements);
    if (steps.length === 0) {
      throw new AppError("invalid_input", `Nothing to change: ${names} ${target.pops.length === 1 ? "is" : "are"} already ${input.kind === "restore" ? "announcing" : input.kind === "drain" ? `drained with ${input.prependCount} prepends` : "withdrawn"} for ${only === null ? "every prefix" : only.length === 1 ? "that prefix" : "those prefixes"}.`);
    }
    const verdict = verdictOf([checkFloor(steps, announcements, prefixes, popCodes), checkCapacity(capacity), checkRpki(steps, prefixes)]);
    const overridden = !verdict.ok && Boolean(input.overrideReason);
    const refused = !verdict.ok && !overridden;
    const plan = steps.map((step) => ({ ...step, cidr: prefixes.get(step.prefixId)!.cidr })) as unknown as Prisma.InputJsonValue;
    const operation = await tx.operation.create({
      data: {
        kind: input.kind,
        status: refused ? "refused" : "running",
        popId,
        prefixId: only?.length === 1 ? only[0] : null,
        prependCount: input.kind === "drain" ? input.prependCount : null,
        reason: input.reason,
        ticket: input.ticket,
        requestedById: requester.id,
        plan,
        verdict: { ...verdict, capacity: { ...capacity, estimate: true } } as unknown as Prisma.InputJsonValue,
        overrideReason: overridden ? input.overrideReason : null,
        // Checked against the answers measured once the operation settled (score-operations.ts).
        prediction: refused ? undefined : (predictions as unknown as Prisma.InputJsonValue),
        finishedAt: refused ? new Date() : null,
        steps: refused ? undefined : { create: steps.map((step) => ({ popId: step.popId, prefixId: step.prefixId, targetState: step.to, prependCount: step.prependCount })) },
      },
    });
    const audit = {
      target: { type: "operation", id: operation.id },
      popId,
      ip,
      detail: { kind: input.kind, pops: target.pops.map((pop) => pop.code), reason: input.reason, ticket: input.ticket, prefixes: steps.map((s) => prefixes.get(s.prefixId)!.cidr), failedChecks: verdict.checks.filter((c) => !c.ok).map((c) => c.message) },
    };
    if (refused) {
      await recordAudit(tx, requester, { ...audit, action: "operation.refused" });
      return { status: "refused", operationId: operation.id, verdict };
    }
    // Every step of one operation has the same target state and prepend count.
    await tx.announcement.updateMany({
      where: { OR: steps.map((step) => ({ popId: step.popId, prefixId: step.prefixId })) },
      data: { desiredState: steps[0]!.to, prependCount: steps[0]!.prependCount, reason: input.reason, desiredSince: new Date(), operationId: operation.id },
    });
    await recordAudit(tx, requester, { ...audit, action: `operation.${input.kind}` });
    if (overridden) {
      await recordAudit(tx, requester, { ...audit, action: "operation.override", detail: { ...audit.detail, overrideReason: input.overrideReason } });
    }
    return { status: "accepted", operationId: operation.id, verdict, overridden };
  }, RECORDING_TRANSACTION);
  logRequested(requested, input, requester, target.pops.map((pop) => pop.code));
  return requested;
}

function logRequested(requested: RequestedOperation, input: OperationInput, requester: Requester, pops: string[]) {
  const fields = { operationId: requested.operationId, kind: input.kind, pops, user: requester.name, reason: input.reason };
  const names = pops.join(", ");
  if (requested.status === "refused") {
    const failedChecks = requested.verdict.checks.filter((check) => !check.ok).map((check) => ({ check: check.name, message: check.message }));
    log.info({ event: "operation.refused", ...fields, failedChecks }, `${requester.name}'s ${input.kind} of ${names} was refused by the ${failedChecks.map((c) => c.check).join(" and ")} check`);
    return;
  }
  log.info({ event: "operation.requested", ...fields }, `${requester.name} requested a ${input.kind} of ${names}`);
  if (requested.overridden) {
    const failedChecks = requested.verdict.checks.filter((check) => !check.ok).map((check) => check.name);
    log.info(
      { event: "operation.overridden", operationId: requested.operationId, admin: requester.name, overrideReason: input.overrideReason, failedChecks },
      `${requester.name} overrode the failed ${failedChecks.join(" and ")} check for the ${input.kind} of ${names}`,
    );
  }
}
