import { operationInput } from "@/lib/domain/operations/operation-input";
import { db } from "@/lib/server/db/client";
import { runOperation } from "@/lib/server/operations/run-operation";
import { defineRoute } from "@/lib/server/route";

/**
 * Drain, withdraw or restore, for scripts and the lab: the same checks, records, audit and agent
 * calls as the console's confirm dialog (requestOperationAction). Answers once every agent has
 * answered, with the operation's outcome; a request the safety checks refuse is a 422 and nothing
 * is sent to any agent.
 */
export const POST = defineRoute({ role: "operator", scope: "operate", body: operationInput }, async ({ body, user, actor, ip }) =>
  runOperation(db, body, { ...actor, id: user.id, role: user.role }, ip),
);
