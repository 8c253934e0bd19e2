import { operationInput } from "@/lib/domain/operations/operation-input";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { executeOperation } from "@/lib/server/operations/execute-operation";
import { requestOperation } from "@/lib/server/operations/request-operation";
import { defineRoute } from "@/lib/server/route";

/**
 * Drain, withdraw or restore, for scripts and the lab: the same checks, records, audit and agent
 * calls as the console's confirm dialog (requestOperationAction). Answers once every agent has
 * answered, with the operation's outcome; a request the safety checks refuse is a 422 and nothing
 * is sent to any agent.
 */
export const POST = defineRoute({ role: "operator", scope: "operate", body: operationInput }, async ({ body, user, actor, ip }) => {
  const requested = await requestOperation(db, body, { ...actor, id: user.id, role: user.role }, ip);
  if (requested.status === "refused") {
    const failed = requested.verdict.checks.filter((check) => !check.ok).map((check) => check.message);
    throw new AppError("refused", `Refused; nothing was sent to any agent. ${failed.join(" ")}`);
  }
  const status = await executeOperation(db, requested.operationId);
  return { operationId: requested.operationId, status, overridden: requested.overridden };
});
