import "server-only";
import { config } from "@/lib/config";
import type { MeasuredAnswer, PastOperation, PopRouting } from "@/lib/domain/catchment/model";
import type { CatchmentAnswer, PopLoad } from "@/lib/domain/operations/capacity";
import { DEFAULT_PREPEND, type AnnouncementSnapshot, type PlannedStep } from "@/lib/domain/operations/plan";
import { routingOf } from "@/lib/domain/catchment/console-state";
import type { Db, Tx } from "../db/create-client";

/**
 * How long after an operation finished its prediction is checked: routing converges and the
 * probes measure again (CATCHMENT_SETTLE_SECONDS; the demo's start sets 150).
 */
export const SETTLE_MS = (config().CATCHMENT_SETTLE_SECONDS ?? 300) * 1000;
/**
 * RIPE Atlas stamps a result with the whole second its query was sent in, so an answer stamped
 * in the second an operation started may already show the operation's effect. An answer counts
 * as before a moment only if its whole second ended by then.
 */
export const TIMESTAMP_RESOLUTION_MS = 1000;
/** The answers either side of an operation: at most this long before it, or after it settled. */
const WINDOW_MS = 30 * 60_000;
/** Past operations the model replays per prefix, and how far back. */
const MAX_OPERATIONS = 8;
const HISTORY_DAYS = 30;

/**
 * The current catchment of these prefixes with what the model needs of each probe (location,
 * the ASN of the prefix's address family, RTT); probes no file placed come grouped per country.
 */
export async function loadCatchmentAnswers(db: Db | Tx, prefixIds: number[]): Promise<CatchmentAnswer[]> {
  const rows = await db.$queryRaw<{ probe_id: number | null; lat: number | null; lon: number | null; country: string | null; asn: bigint | null; prefix_id: number; pop_id: number; rtt_ms: number | null; measured_at: Date | null; probes: number }[]>`
    SELECT c.probe_id, p.latitude AS lat, p.longitude AS lon, rtrim(p.country) AS country,
           CASE WHEN x.family = 6 THEN p.asn_v6 ELSE p.asn_v4 END AS asn,
           c.prefix_id, c.pop_id, c.rtt_ms, c.measured_at, 1 AS probes
      FROM current_catchment c JOIN probe p ON p.id = c.probe_id JOIN prefix x ON x.id = c.prefix_id
     WHERE c.pop_id IS NOT NULL AND p.latitude IS NOT NULL AND c.prefix_id = ANY(${prefixIds}::int4[])
    UNION ALL
    SELECT NULL, NULL, NULL, rtrim(p.country), NULL, c.prefix_id, c.pop_id, NULL, NULL, count(*)::int4
      FROM current_catchment c JOIN probe p ON p.id = c.probe_id
     WHERE c.pop_id IS NOT NULL AND p.latitude IS NULL AND c.prefix_id = ANY(${prefixIds}::int4[])
     GROUP BY rtrim(p.country), c.prefix_id, c.pop_id`;
  return rows.map((row) => ({
    probeId: row.probe_id,
    lat: row.lat,
    lon: row.lon,
    country: row.country,
    asn: row.asn === null ? null : Number(row.asn),
    prefixId: row.prefix_id,
    popId: row.pop_id,
    rttMs: row.rtt_ms,
    measuredAt: row.measured_at ?? undefined,
    probes: row.probes,
  }));
}

/** Every PoP not decommissioned, as the capacity estimate needs it, with the load `bpsOf` gives. */
export async function loadPopLoads(db: Db | Tx, bpsOf: (popId: number) => number): Promise<PopLoad[]> {
  const pops = await db.pop.findMany({
    where: { status: { not: "decommissioned" } },
    select: { id: true, code: true, latitude: true, longitude: true, capacityGbps: true, upstreams: { select: { peerAsn: true } } },
    orderBy: { code: "asc" },
  });
  return pops.map((pop) => ({
    id: pop.id,
    code: pop.code,
    lat: pop.latitude,
    lon: pop.longitude,
    capacityBps: pop.capacityGbps * 1e9,
    currentBps: bpsOf(pop.id),
    upstreamAsns: pop.upstreams.map((upstream) => Number(upstream.peerAsn)),
  }));
}

async function latestAnswers(db: Db | Tx, prefixId: number, from: Date, to: Date): Promise<MeasuredAnswer[]> {
  const rows = await db.$queryRaw<{ probe_id: number; pop_id: number; rtt_ms: number | null; measured_at: Date }[]>`
    SELECT DISTINCT ON (probe_id) probe_id, pop_id, rtt_ms, measured_at
      FROM measurement
     WHERE prefix_id = ${prefixId} AND pop_id IS NOT NULL AND measured_at >= ${from} AND measured_at < ${to}
     ORDER BY probe_id, measured_at DESC`;
  return rows.map((row) => ({ probeId: row.probe_id, popId: row.pop_id, rttMs: row.rtt_ms, at: row.measured_at }));
}

/**
 * The operations run on these prefixes as experiments for the model: the announcement state
 * either side of each, rebuilt backwards from the state now through each operation's plan, and
 * the latest answer of each probe before it and after it settled.
 */
export async function loadOperationHistory(db: Db | Tx, prefixIds: number[], now: readonly AnnouncementSnapshot[]): Promise<Map<number, PastOperation[]>> {
  const operations = await db.operation.findMany({
    where: {
      status: { in: ["succeeded", "partial"] },
      finishedAt: { not: null, gte: new Date(Date.now() - HISTORY_DAYS * 86_400_000) },
      steps: { some: { prefixId: { in: prefixIds }, status: "succeeded" } },
    },
    orderBy: { createdAt: "desc" },
    take: MAX_OPERATIONS * prefixIds.length,
    select: { createdAt: true, finishedAt: true, plan: true, steps: { where: { status: "succeeded" }, select: { popId: true, prefixId: true } } },
  });
  const history = new Map<number, PastOperation[]>();
  for (const prefixId of prefixIds) {
    let state = new Map(routingOf(now, prefixId).map((routing) => [routing.popId, routing]));
    let nextStart = new Date();
    const past: PastOperation[] = [];
    for (const [index, operation] of operations.entries()) {
      const done = new Set(operation.steps.filter((step) => step.prefixId === prefixId).map((step) => step.popId));
      if (done.size === 0) continue;
      const steps = (operation.plan as unknown as PlannedStep[]).filter((step) => step.prefixId === prefixId && done.has(step.popId));
      const after = state;
      const before = new Map(after);
      for (const step of steps) before.set(step.popId, routingFrom(step, prependsOfDrainBefore(operations.slice(index + 1), prefixId, step.popId)));
      state = before;
      const settled = new Date(operation.finishedAt!.getTime() + SETTLE_MS);
      const until = new Date(Math.min(settled.getTime() + WINDOW_MS, nextStart.getTime() - TIMESTAMP_RESOLUTION_MS));
      nextStart = operation.createdAt;
      if (past.length >= MAX_OPERATIONS || until <= settled) continue;
      const [answersBefore, answersAfter] = await Promise.all([
        latestAnswers(db, prefixId, new Date(operation.createdAt.getTime() - WINDOW_MS), new Date(operation.createdAt.getTime() - TIMESTAMP_RESOLUTION_MS)),
        latestAnswers(db, prefixId, settled, until),
      ]);
      if (answersBefore.length && answersAfter.length) {
        past.push({ at: operation.createdAt, before: [...before.values()], after: [...after.values()], answersBefore, answersAfter });
      }
    }
    history.set(prefixId, past.reverse());
  }
  return history;
}

type OperationPlan = { plan: unknown };

/** The prepends of the latest drain of this PoP among older operations: what a restore undid. */
function prependsOfDrainBefore(older: readonly OperationPlan[], prefixId: number, popId: number): number {
  for (const operation of older) {
    const drain = (operation.plan as PlannedStep[]).find((step) => step.prefixId === prefixId && step.popId === popId && step.to === "drained");
    if (drain) return drain.prependCount;
  }
  return DEFAULT_PREPEND;
}

/** A step's state before it ran. */
function routingFrom(step: PlannedStep, drainedPrepends: number): PopRouting {
  return step.from === "drained" ? { popId: step.popId, state: "drained", prepends: drainedPrepends } : { popId: step.popId, state: step.from };
}
