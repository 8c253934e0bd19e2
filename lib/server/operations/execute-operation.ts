import "server-only";
import { createAgentClient, type AgentCallError } from "@/lib/agent-protocol/client";
import type { Db } from "../db/create-client";
import { agentRetries, agentTimeoutMs } from "../agents/agent-config";
import { log } from "../log";

// Worth another try within the deadline: the agent may be restarting or briefly overloaded.
const RETRYABLE = new Set(["unreachable", "internal", "speaker_error", "bad_response"]);
const BACKOFF_MS = 200;

type StepResult = { ok: true; state: "announced" | "drained" | "withdrawn"; prepend: number; attempts: number } | { ok: false; error: string; attempts: number };

async function callWithRetries(call: (timeoutMs: number) => Promise<{ ok: true; value: { state: "announced" | "drained" | "withdrawn"; prepend: number } } | { ok: false; error: AgentCallError }>, deadline: number): Promise<StepResult> {
  let attempts = 0;
  let last: AgentCallError | null = null;
  while (attempts <= agentRetries()) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    attempts += 1;
    const result = await call(remaining);
    if (result.ok) return { ok: true, state: result.value.state, prepend: result.value.prepend, attempts };
    last = result.error;
    if (!RETRYABLE.has(result.error.code)) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(BACKOFF_MS * attempts, Math.max(0, deadline - Date.now()))));
  }
  return { ok: false, error: last?.message ?? "the agent did not answer in time", attempts };
}

/**
 * Sends an operation's pending steps to the PoP agents, all in parallel, each within the
 * agent timeout (retries included), and records every result. A step whose announcement has
 * since been taken over by a newer operation is not sent: it would undo that operation.
 * Returns the operation's final status.
 */
export async function executeOperation(db: Db, operationId: string): Promise<"succeeded" | "partial" | "failed"> {
  const operation = await db.operation.findUniqueOrThrow({
    where: { id: operationId },
    include: {
      steps: { where: { status: { in: ["pending", "failed"] } }, include: { prefix: true, pop: { omit: { agentSecret: false } } } },
    },
  });
  const deadline = Date.now() + agentTimeoutMs();
  await Promise.all(
    operation.steps.map(async (step) => {
      const startedAt = new Date();
      const current = await db.announcement.findUnique({ where: { popId_prefixId: { popId: step.popId, prefixId: step.prefixId } } });
      let result: StepResult;
      if (current?.operationId !== operation.id) {
        result = { ok: false, error: "Superseded: a newer operation has changed this announcement since.", attempts: 0 };
      } else if (!step.pop.agentUrl || !step.pop.agentSecret) {
        result = { ok: false, error: `${step.pop.code} has no agent URL or secret configured.`, attempts: 0 };
      } else {
        const agent = { url: step.pop.agentUrl, secret: step.pop.agentSecret };
        const body =
          step.targetState === "drained"
            ? { prefix: step.prefix.cidr, state: "drained" as const, prepend: step.prependCount, reason: operation.reason, operationId: operation.id }
            : { prefix: step.prefix.cidr, state: step.targetState, reason: operation.reason, operationId: operation.id };
        result = await callWithRetries((timeoutMs) => createAgentClient({ ...agent, timeoutMs }).putAnnouncement(body), deadline);
      }
      await db.operationStep.update({
        where: { id: step.id },
        data: { status: result.ok ? "succeeded" : "failed", attempts: { increment: result.attempts }, error: result.ok ? null : result.error, startedAt, finishedAt: new Date() },
      });
      if (result.ok) {
        await db.announcement.updateMany({
          where: { popId: step.popId, prefixId: step.prefixId, operationId: operation.id },
          data: { observedState: result.state, observedPrepend: result.prepend, observedAt: new Date() },
        });
      } else {
        log.warn({ operationId, pop: step.pop.code, prefix: step.prefix.cidr, error: result.error }, "agent step failed");
      }
    }),
  );
  const steps = await db.operationStep.findMany({ where: { operationId }, select: { status: true } });
  const succeeded = steps.filter((s) => s.status === "succeeded").length;
  const status = succeeded === steps.length ? "succeeded" : succeeded === 0 ? "failed" : "partial";
  await db.operation.update({ where: { id: operationId }, data: { status, finishedAt: new Date() } });
  return status;
}
