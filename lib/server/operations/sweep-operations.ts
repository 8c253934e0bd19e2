import "server-only";
import { agentTimeoutMs } from "../agents/agent-config";
import { recordAudit, SYSTEM_ACTOR } from "../audit";
import type { Db } from "../db/create-client";
import { log } from "../log";
import { finishOperation } from "./execute-operation";
import { RECORDING_TRANSACTION } from "./request-operation";
import { scoreSettledOperations } from "./score-operations";

// Beyond the agent deadline, before an operation still running is taken for abandoned: its
// createdAt is when the recording transaction began, which may then wait for a connection and
// run to its timeout; the final write of the results takes some time of its own too.
const GRACE_MS = RECORDING_TRANSACTION.maxWait + RECORDING_TRANSACTION.timeout + 30_000;
const SWEEP_INTERVAL_MS = 30_000;

/** How long after it was recorded an operation still running is finished as failed. */
export function abandonedAfterMs(): number {
  return agentTimeoutMs() + GRACE_MS;
}

/**
 * Finishes the operations left `running` past the agent deadline: the console stopped between
 * recording one and hearing from its agents, so nothing will finish it. Their unsent steps fail
 * with the reason, the operation becomes failed (or partial) and can be retried, and the sweep
 * is audited. Each is claimed with a conditional update, so two console instances sweeping at
 * once finish it once. Returns the ids it finished.
 */
export async function sweepAbandonedOperations(db: Db, now = new Date()): Promise<string[]> {
  const afterMs = abandonedAfterMs();
  const abandoned = await db.operation.findMany({
    where: { status: "running", createdAt: { lt: new Date(now.getTime() - afterMs) } },
    select: { id: true, kind: true, popId: true },
  });
  const swept: string[] = [];
  for (const operation of abandoned) {
    const reason = `Not sent: the console stopped before calling this agent (the operation was still running ${Math.round(afterMs / 1000)} s after it was recorded, past the agent deadline). Retry it.`;
    const claimed = await db.$transaction(async (tx) => {
      const { count } = await tx.operation.updateMany({ where: { id: operation.id, status: "running" }, data: { status: "failed", finishedAt: now } });
      if (count === 0) return false;
      await tx.operationStep.updateMany({ where: { operationId: operation.id, status: "pending" }, data: { status: "failed", error: reason, finishedAt: now } });
      await recordAudit(tx, SYSTEM_ACTOR, { action: "operation.abandoned", target: { type: "operation", id: operation.id }, popId: operation.popId, detail: { kind: operation.kind, reason } });
      return true;
    });
    if (!claimed) continue;
    log.info({ event: "operation.abandoned", operationId: operation.id, kind: operation.kind, reason }, `Operation ${operation.id} was left running past the agent deadline: finished as failed, to be retried`);
    // Steps an agent acknowledged before the console stopped make it partial, not failed.
    await finishOperation(db, operation.id);
    swept.push(operation.id);
  }
  return swept;
}

/**
 * Sweeps at start and then periodically, for the life of the server process (from
 * instrumentation.ts); each sweep also checks the predictions of the operations that settled.
 */
export function startOperationSweeper(db: Db): () => void {
  const tick = async () => {
    await sweepAbandonedOperations(db).catch((error: unknown) => log.error({ err: error }, "operation sweep failed"));
    await scoreSettledOperations(db).catch((error: unknown) => log.error({ err: error }, "checking settled operations' predictions failed"));
  };
  const timer = setInterval(tick, SWEEP_INTERVAL_MS);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
