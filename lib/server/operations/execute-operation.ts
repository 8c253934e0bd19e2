import "server-only";
import { createAgentClient, type AgentCallError } from "@/lib/agent-protocol/client";
import type { AnnouncementState } from "@/lib/domain/pop-state";
import type { Db } from "../db/create-client";
import { agentRetries, agentTimeoutMs } from "../agents/agent-config";
import { log } from "../log";

// Worth another try within the deadline: the agent may be restarting or briefly overloaded.
const RETRYABLE = new Set(["unreachable", "internal", "speaker_error", "bad_response"]);
const BACKOFF_MS = 200;

type StepResult = { ok: true; state: AnnouncementState; prepend: number; attempts: number } | { ok: false; error: string; attempts: number };
type Call = (timeoutMs: number) => Promise<{ ok: true; value: { state: AnnouncementState; prepend: number } } | { ok: false; error: AgentCallError }>;

async function callWithRetries(call: Call, deadline: number): Promise<StepResult> {
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
  const owned = new Set(
    (await db.announcement.findMany({ where: { operationId }, select: { popId: true, prefixId: true } })).map((a) => `${a.popId}:${a.prefixId}`),
  );
  const deadline = Date.now() + agentTimeoutMs();
  const results = await Promise.all(
    operation.steps.map(async (step) => {
      const startedAt = new Date();
      let result: StepResult;
      if (!owned.has(`${step.popId}:${step.prefixId}`)) {
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
      if (!result.ok) log.warn({ operationId, pop: step.pop.code, prefix: step.prefix.cidr, error: result.error }, "agent step failed");
      return { step, result, startedAt, finishedAt: new Date() };
    }),
  );
  // Written in bulk: one statement per table, whatever the number of PoPs.
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE operation_step s
         SET status = r.status::"StepStatus", attempts = s.attempts + r.attempts, error = r.error,
             started_at = r.started_at, finished_at = r.finished_at
        FROM unnest(${results.map((r) => r.step.id)}::int[], ${results.map((r) => (r.result.ok ? "succeeded" : "failed"))}::text[],
                    ${results.map((r) => r.result.attempts)}::int[], ${results.map((r) => (r.result.ok ? null : r.result.error))}::text[],
                    ${results.map((r) => r.startedAt)}::timestamptz[], ${results.map((r) => r.finishedAt)}::timestamptz[])
             AS r(id, status, attempts, error, started_at, finished_at)
       WHERE s.id = r.id`;
    const applied = results.flatMap((r) => (r.result.ok ? [{ ...r, result: r.result }] : []));
    if (applied.length > 0) {
      await tx.$executeRaw`
        UPDATE announcement a
           SET observed_state = r.state::"AnnouncementState", observed_prepend = r.prepend, observed_at = now()
          FROM unnest(${applied.map((r) => r.step.popId)}::int[], ${applied.map((r) => r.step.prefixId)}::int[],
                      ${applied.map((r) => r.result.state)}::text[], ${applied.map((r) => r.result.prepend)}::int[])
               AS r(pop_id, prefix_id, state, prepend)
         WHERE a.pop_id = r.pop_id AND a.prefix_id = r.prefix_id AND a.operation_id = ${operationId}`;
    }
  });
  return finishOperation(db, operationId);
}

/**
 * Sets an operation's final status from its steps (succeeded, partial or failed) and logs it,
 * with each agent's failure.
 */
export async function finishOperation(db: Db, operationId: string): Promise<"succeeded" | "partial" | "failed"> {
  const steps = await db.operationStep.findMany({
    where: { operationId },
    select: { status: true, error: true, pop: { select: { code: true } }, prefix: { select: { cidr: true } } },
  });
  const succeeded = steps.filter((s) => s.status === "succeeded").length;
  const status = succeeded === steps.length ? "succeeded" : succeeded === 0 ? "failed" : "partial";
  await db.operation.update({ where: { id: operationId }, data: { status, finishedAt: new Date() } });
  const failures = steps.filter((s) => s.status !== "succeeded").map((s) => ({ pop: s.pop.code, prefix: s.prefix.cidr, error: s.error }));
  log.info(
    { event: "operation.finished", operationId, status, steps: steps.length, failures },
    `Operation ${operationId} ${status}: ${succeeded} of ${steps.length} agent call${steps.length === 1 ? "" : "s"} acknowledged`,
  );
  return status;
}
