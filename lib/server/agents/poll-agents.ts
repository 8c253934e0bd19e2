import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
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
// The status requests of one poll leave this far apart, not all at once: 300 answers arriving
// together held the server's thread 100 to 500 ms on 2 cores, and every request to the console
// waited. A poll still ends one timeout after its last request (0.9 s in, at 300 PoPs).
const POLL_PACE_MS = 3;

type PolledPop = { id: number; code: string; agentUrl: string; agentSecret: string; agentSeenAt: Date | null };

type Polled = { pop: PolledPop; result: { ok: true; value: AgentStatus } | { ok: false; error: { message: string } } };

const epochMs = (date: Date | null) => (date ? date.getTime() : null);

/**
 * Records one poll of every agent in three set-based statements, however many PoPs there
 * are: each PoP's health, what each answering agent observes of its announcements, and its
 * BGP sessions. (One statement per row cost a few thousand queries per poll at 300 PoPs, and
 * most of a core.) `askedAt` is when the status requests left: an operation acknowledged
 * after that knows better than this answer, so its observed state is not overwritten.
 */
async function recordPoll(tx: Tx, polled: Polled[], askedAt: Date, now: Date) {
  const pops = polled.map(({ pop, result }) => {
    if (result.ok) {
      const { speaker } = result.value;
      return { id: pop.id, health: "ok", seenAt: now, error: speaker.up ? null : `BGP speaker down: ${speaker.error ?? "no detail"}` };
    }
    const lastSeen = pop.agentSeenAt?.getTime() ?? 0;
    const health = now.getTime() - lastSeen > STALE_POLLS * pollIntervalMs() ? "unreachable" : "stale";
    return { id: pop.id, health, seenAt: null, error: result.error.message };
  });
  if (pops.length) {
    // A PoP whose agent did not answer keeps the time it was last seen.
    await tx.$executeRaw`
      UPDATE "pop" p
         SET "agent_health" = v.health::"AgentHealth",
             "agent_seen_at" = COALESCE(to_timestamp(v.seen_ms / 1000.0) AT TIME ZONE 'UTC', p."agent_seen_at"),
             "agent_error" = v.error,
             "updated_at" = to_timestamp(${now.getTime()} / 1000.0) AT TIME ZONE 'UTC'
        FROM unnest(${pops.map((row) => row.id)}::int4[], ${pops.map((row) => row.health)}::text[],
                    ${pops.map((row) => epochMs(row.seenAt))}::float8[], ${pops.map((row) => row.error)}::text[]) AS v(id, health, seen_ms, error)
       WHERE p."id" = v.id`;
  }

  const answered = polled.flatMap(({ pop, result }) => (result.ok ? [{ popId: pop.id, status: result.value }] : []));
  const reportedByPop = new Map(answered.map(({ popId, status }) => [popId, new Map(status.announcements.map((a) => [canonicalCidr(a.prefix) ?? a.prefix, a]))]));
  const announcements = await tx.announcement.findMany({
    where: { popId: { in: [...reportedByPop.keys()] } },
    select: { id: true, popId: true, prefix: { select: { cidr: true } } },
  });
  const observed = announcements.flatMap((announcement) => {
    const reported = reportedByPop.get(announcement.popId)?.get(announcement.prefix.cidr);
    return reported ? [{ id: announcement.id, state: reported.state, prepend: reported.prepend }] : [];
  });
  if (observed.length) {
    await tx.$executeRaw`
      UPDATE "announcement" a
         SET "observed_state" = v.state::"AnnouncementState", "observed_prepend" = v.prepend,
             "observed_at" = to_timestamp(${now.getTime()} / 1000.0) AT TIME ZONE 'UTC'
        FROM unnest(${observed.map((row) => row.id)}::int4[], ${observed.map((row) => row.state)}::text[], ${observed.map((row) => row.prepend)}::int4[]) AS v(id, state, prepend)
       WHERE a."id" = v.id
         AND (a."observed_at" IS NULL OR a."observed_at" < to_timestamp(${askedAt.getTime()} / 1000.0) AT TIME ZONE 'UTC')`;
  }

  const sessions = answered.flatMap(({ popId, status }) => status.sessions.map((session) => ({ popId, ...session })));
  if (sessions.length) {
    await tx.$executeRaw`
      UPDATE "upstream" u
         SET "state" = v.state::"BgpState",
             "state_since" = to_timestamp(v.since_ms / 1000.0) AT TIME ZONE 'UTC',
             "prefixes_sent" = v.sent, "prefixes_received" = v.received, "exports" = v.exports::jsonb,
             "updated_at" = to_timestamp(${now.getTime()} / 1000.0) AT TIME ZONE 'UTC'
        FROM unnest(${sessions.map((row) => row.popId)}::int4[], ${sessions.map((row) => row.peerAddress)}::text[], ${sessions.map((row) => row.state)}::text[],
                    ${sessions.map((row) => (row.since ? new Date(row.since).getTime() : null))}::float8[],
                    ${sessions.map((row) => row.prefixesSent)}::int4[], ${sessions.map((row) => row.prefixesReceived)}::int4[],
                    ${sessions.map((row) => (row.exports ? JSON.stringify(row.exports) : null))}::text[]) AS v(pop_id, peer, state, since_ms, sent, received, exports)
       WHERE u."pop_id" = v.pop_id AND u."peer_address" = v.peer`;
  }
  return answered.length;
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
  const results = await Promise.all(
    pops.map(async (pop, index) => {
      await sleep(index * POLL_PACE_MS);
      return { pop, result: await createAgentClient({ url: pop.agentUrl, secret: pop.agentSecret, timeoutMs }).status() };
    }),
  );
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${POLLER_LOCK}) AS locked`;
      if (!lock?.locked) return null;
      const answered = await recordPoll(tx, results, askedAt, new Date());
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
