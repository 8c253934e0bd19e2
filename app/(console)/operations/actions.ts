"use server";

import { z } from "zod";
import { operationInput } from "@/lib/domain/operations/operation-input";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { retryOperation, runOperation } from "@/lib/server/operations/run-operation";

/** Drain, withdraw or restore: check, record, then call the agents and wait for their answers. */
export const requestOperationAction = defineAction({ role: "operator", input: operationInput }, async (input, { user, actor, ip }) => {
  const { operationId } = await runOperation(db, input, { ...actor, id: user.id, role: user.role }, ip);
  return { message: "Done.", redirectTo: `/operations/${operationId}` };
});

/** Sends an operation's failed steps again, with the same operation id (the agents ignore replays). */
export const retryOperationAction = defineAction({ role: "operator", input: z.object({ operationId: z.string().min(1).max(40) }) }, async ({ operationId }, { actor, ip }) => {
  const status = await retryOperation(db, operationId, actor, ip);
  return { message: status === "succeeded" ? "Every agent has applied it now." : "Some agents still failed: see the timeline.", redirectTo: `/operations/${operationId}` };
});
