"use server";

import { z } from "zod";
import { operationInput } from "@/lib/domain/operations/operation-input";
import { defineAction } from "@/lib/server/action";
import { recordAudit } from "@/lib/server/audit";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { executeOperation } from "@/lib/server/operations/execute-operation";
import { previewOperation, type OperationPreview } from "@/lib/server/operations/preview-operation";
import { requestOperation } from "@/lib/server/operations/request-operation";

const previewInput = operationInput.pick({ kind: true, popCodes: true, prefixId: true, prefixIds: true, prependCount: true });

/** The confirm dialog's preview: the plan, the safety verdict and the capacity estimate. */
export const previewOperationAction = defineAction<typeof previewInput, OperationPreview>({ role: "operator", input: previewInput }, async (input) => {
  const preview = await previewOperation(db, { ...input, reason: "", ticket: null, confirmCode: null, overrideReason: null });
  return { message: preview.verdict.ok ? "Safe to proceed." : "A safety check fails.", data: preview };
});

/** Drain, withdraw or restore: check, record, then call the agents and wait for their answers. */
export const requestOperationAction = defineAction({ role: "operator", input: operationInput }, async (input, { user, actor, ip }) => {
  const requested = await requestOperation(db, input, { ...actor, id: user.id, role: user.role }, ip);
  if (requested.status === "refused") {
    const failed = requested.verdict.checks.filter((check) => !check.ok).map((check) => check.message);
    throw new AppError("refused", `Refused; nothing was sent to any agent. ${failed.join(" ")}`);
  }
  await executeOperation(db, requested.operationId);
  return { message: "Done.", redirectTo: `/operations/${requested.operationId}` };
});

/** Sends an operation's failed steps again, with the same operation id (the agents ignore replays). */
export const retryOperationAction = defineAction({ role: "operator", input: z.object({ operationId: z.string().min(1).max(40) }) }, async ({ operationId }, { actor, ip }) => {
  const operation = await db.operation.findUnique({ where: { id: operationId } });
  if (!operation) throw new AppError("not_found", "There is no such operation.");
  if (operation.status !== "partial" && operation.status !== "failed") {
    throw new AppError("invalid_input", `Only a partial or failed operation can be retried; this one is ${operation.status}.`);
  }
  await recordAudit(db, actor, { action: "operation.retry", target: { type: "operation", id: operation.id }, popId: operation.popId, ip });
  const status = await executeOperation(db, operation.id);
  return { message: status === "succeeded" ? "Every agent has applied it now." : "Some agents still failed: see the timeline.", redirectTo: `/operations/${operation.id}` };
});
