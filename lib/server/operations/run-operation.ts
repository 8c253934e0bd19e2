import "server-only";
import type { OperationInput } from "@/lib/domain/operations/operation-input";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { executeOperation } from "./execute-operation";
import { requestOperation, type Requester } from "./request-operation";

// What the console's confirm dialog and POST /api/v1/operations both do, and the timeline's
// retry: the entry points call these and shape the answer.

/**
 * Drain, withdraw or restore: checks and records the operation, then calls the agents and waits
 * for their answers. A request the safety checks refuse throws `refused`, and nothing is sent.
 */
export async function runOperation(db: Db, input: OperationInput, requester: Requester, ip: string | null) {
  const requested = await requestOperation(db, input, requester, ip);
  if (requested.status === "refused") {
    const failed = requested.verdict.checks.filter((check) => !check.ok).map((check) => check.message);
    throw new AppError("refused", `Refused; nothing was sent to any agent. ${failed.join(" ")}`);
  }
  const status = await executeOperation(db, requested.operationId);
  return { operationId: requested.operationId, status, overridden: requested.overridden };
}

/** Sends a partial or failed operation's failed steps again, with the same operation id (the agents ignore replays). */
export async function retryOperation(db: Db, operationId: string, actor: Actor, ip: string | null) {
  const operation = await db.operation.findUnique({ where: { id: operationId } });
  if (!operation) throw new AppError("not_found", "There is no such operation.");
  if (operation.status !== "partial" && operation.status !== "failed") {
    throw new AppError("invalid_input", `Only a partial or failed operation can be retried; this one is ${operation.status}.`);
  }
  await recordAudit(db, actor, { action: "operation.retry", target: { type: "operation", id: operation.id }, popId: operation.popId, ip });
  return executeOperation(db, operation.id);
}
