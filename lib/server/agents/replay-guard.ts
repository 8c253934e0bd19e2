import "server-only";
import { DEFAULT_MAX_SKEW_MS } from "@/lib/agent-protocol/signing";
import type { Db } from "../db/create-client";

// Instances behind a load balancer may disagree on the time by this much: a row is swept only
// this long after its signature's window has closed on the instance that sweeps.
const SWEEP_MARGIN_MS = 60_000;

/**
 * The console's side of lib/agent-protocol/replay-guard.ts, in Postgres so that every instance
 * of the console sees what the others accepted: true the first time a signed agent request is
 * received, false for a replay of it. Sweeps what has expired on the way, in one statement.
 */
export async function acceptAgentRequestOnce(db: Db, { signature, timestamp }: { signature: string; timestamp: number }, now = Date.now()): Promise<boolean> {
  const inserted = await db.$executeRaw`
    WITH swept AS (DELETE FROM agent_request_seen WHERE expires_at < ${new Date(now - SWEEP_MARGIN_MS)})
    INSERT INTO agent_request_seen (signature, expires_at)
    VALUES (${signature.toLowerCase()}, ${new Date(timestamp + DEFAULT_MAX_SKEW_MS)})
    ON CONFLICT (signature) DO NOTHING`;
  return inserted === 1;
}
