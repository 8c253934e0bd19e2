import "server-only";
import { createAgentClient } from "@/lib/agent-protocol/client";
import type { AgentStatus } from "@/lib/agent-protocol/schemas";
import { canonicalCidr } from "@/lib/domain/cidr";
import type { Db, Tx } from "../db/create-client";
import { log } from "../log";
import { agentTimeoutMs, pollIntervalMs } from "./agent-config";

// One poller across every console instance: the one holding this lock polls.
const POLLER_LOCK = 4_242_001;
// Missed polls after which an agent is no longer just stale but unreachable.
const STALE_POLLS = 3;

type PolledPop = { id: number; code: string; agentUrl: string; agentSecret: string; agentSeenAt: Date | null };

/**
 * `askedAt` is when the status request left: an operation acknowledged after that knows
 * better than this answer, so its observed state is not overwritten.
 */
async function recordStatus(tx: Tx, pop: PolledPop, status: AgentStatus, askedAt: Date, now: Date) {
  await tx.pop.update({
    where: { id: pop.id },
    data: { agentHealth: "ok", agentSeenAt: now, agentError: status.speaker.up ? null : `BGP speaker down: ${status.speaker.error ?? "no detail"}` },
  });
  const announcements = await tx.announcement.findMany({ where: { popId: pop.id }, include: { prefix: { select: { cidr: true } } } });
  const reported = new Map(status.announcements.map((a) => [canonicalCidr(a.prefix) ?? a.prefix, a]));
  for (const announcement of announcements) {
    const observed = reported.get(announcement.prefix.cidr);
    if (!observed) continue;
    await tx.announcement.updateMany({
      where: { id: announcement.id, OR: [{ observedAt: null }, { observedAt: { lt: askedAt } }] },
      data: { observedState: observed.state, observedPrepend: observed.prepend, observedAt: now },
    });
  }
  for (const session of status.sessions) {
    await tx.upstream.updateMany({
      where: { popId: pop.id, peerAddress: session.peerAddress },
      data: { state: session.state, stateSince: session.since ? new Date(session.since) : null, prefixesSent: session.prefixesSent, prefixesReceived: session.prefixesReceived },
    });
  }
}

async function recordFailure(tx: Tx, pop: PolledPop, message: string, now: Date) {
  const lastSeen = pop.agentSeenAt?.getTime() ?? 0;
  const health = now.getTime() - lastSeen > STALE_POLLS * pollIntervalMs() ? "unreachable" : "stale";
  await tx.pop.update({ where: { id: pop.id }, data: { agentHealth: health, agentError: message } });
}

/**
 * Reads every agent's /v1/status once and records what it reports: observed announcement
 * states (drift shows where they differ from the desired ones), BGP sessions, and the
 * agent's health. Returns how many agents answered, or null when another instance polls.
 */
export async function pollAgentsOnce(db: Db): Promise<{ polled: number; answered: number } | null> {
  const pops = (await db.pop.findMany({
    where: { status: { not: "decommissioned" }, agentUrl: { not: null }, agentSecret: { not: null } },
    select: { id: true, code: true, agentUrl: true, agentSecret: true, agentSeenAt: true },
  })) as PolledPop[];
  const timeoutMs = Math.min(agentTimeoutMs(), pollIntervalMs());
  const askedAt = new Date();
  const results = await Promise.all(pops.map(async (pop) => ({ pop, result: await createAgentClient({ url: pop.agentUrl, secret: pop.agentSecret, timeoutMs }).status() })));
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${POLLER_LOCK}) AS locked`;
      if (!lock?.locked) return null;
      const now = new Date();
      let answered = 0;
      for (const { pop, result } of results) {
        if (result.ok) {
          answered += 1;
          await recordStatus(tx, pop, result.value, askedAt, now);
        } else {
          await recordFailure(tx, pop, result.error.message, now);
        }
      }
      return { polled: pops.length, answered };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/** Polls on an interval for the life of the server process (started from instrumentation.ts). */
export function startAgentPoller(db: Db): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await pollAgentsOnce(db);
    } catch (error) {
      log.error({ err: error }, "agent poll failed");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, pollIntervalMs());
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
