import "server-only";
import { measureAccuracy, rate, storedPredictions, type AccuracyOutcome, type OperationAccuracy, type StoredPrediction } from "@/lib/domain/catchment/accuracy";
import type { MeasuredAnswer } from "@/lib/domain/catchment/model";
import { Prisma } from "@/lib/generated/prisma/client";
import { SETTLE_MS, TIMESTAMP_RESOLUTION_MS } from "../catchment/load-catchment-facts";
import type { Db } from "../db/create-client";
import { log } from "../log";

/**
 * Checks each finished operation's prediction once it has settled: the PoP predicted for each
 * probe against the latest answer it sent between the operation's end and the settle time
 * (cut short by a later operation on the same prefix, a timestamp's resolution before it). The result is kept with the operation,
 * once: the conditional update makes a second console instance's check a no-op. Returns the
 * ids it scored.
 */
export async function scoreSettledOperations(db: Db, now = new Date()): Promise<string[]> {
  const settled = await db.operation.findMany({
    where: { status: { in: ["succeeded", "partial"] }, accuracy: { equals: Prisma.DbNull }, prediction: { not: Prisma.DbNull }, finishedAt: { lt: new Date(now.getTime() - SETTLE_MS) } },
    select: { id: true, kind: true, finishedAt: true, prediction: true, pop: { select: { code: true } } },
    orderBy: { finishedAt: "asc" },
    take: 20,
  });
  const scored: string[] = [];
  for (const operation of settled) {
    const from = operation.finishedAt!;
    const prefixes: OperationAccuracy["prefixes"] = [];
    for (const stored of operation.prediction as unknown as StoredPrediction[]) {
      const next = await db.operation.findFirst({
        where: { createdAt: { gt: from }, status: { not: "refused" }, steps: { some: { prefixId: stored.prefixId } } },
        orderBy: { createdAt: "asc" },
        select: { createdAt: true },
      });
      const until = new Date(Math.min(from.getTime() + SETTLE_MS, (next?.createdAt.getTime() ?? Infinity) - TIMESTAMP_RESOLUTION_MS));
      const after = await answersBetween(db, stored.prefixId, from, until);
      prefixes.push({ prefixId: stored.prefixId, outcome: measureAccuracy(storedPredictions(stored), after, stored.changedPopIds) });
    }
    const accuracy: OperationAccuracy = { settleSeconds: SETTLE_MS / 1000, prefixes };
    const { count } = await db.operation.updateMany({
      where: { id: operation.id, accuracy: { equals: Prisma.DbNull } },
      data: { accuracy: accuracy as unknown as Prisma.InputJsonValue },
    });
    if (count === 0) continue;
    scored.push(operation.id);
    log.info({ event: "operation.scored", operationId: operation.id, kind: operation.kind }, `Operation ${operation.id} (${operation.kind}${operation.pop ? ` of ${operation.pop.code}` : ""}): ${describe(prefixes.map((p) => p.outcome))}`);
  }
  return scored;
}

async function answersBetween(db: Db, prefixId: number, from: Date, until: Date): Promise<MeasuredAnswer[]> {
  const rows = await db.$queryRaw<{ probe_id: number; pop_id: number; rtt_ms: number | null; measured_at: Date }[]>`
    SELECT DISTINCT ON (probe_id) probe_id, pop_id, rtt_ms, measured_at
      FROM measurement
     WHERE prefix_id = ${prefixId} AND pop_id IS NOT NULL AND measured_at > ${from} AND measured_at <= ${until}
     ORDER BY probe_id, measured_at DESC`;
  return rows.map((row) => ({ probeId: row.probe_id, popId: row.pop_id, rttMs: row.rtt_ms, at: row.measured_at }));
}

/** For the terminal: how right the prediction was, over every prefix. */
function describe(outcomes: readonly AccuracyOutcome[]): string {
  const measured = outcomes.flatMap((outcome) => (outcome.kind === "measured" ? [outcome.accuracy] : []));
  if (measured.length === 0) return "not enough measurements after it to check the prediction";
  const affected = measured.reduce((sum, a) => ({ probes: sum.probes + a.affected.probes, correct: sum.correct + a.affected.correct }), { probes: 0, correct: 0 });
  const all = measured.reduce((sum, a) => ({ probes: sum.probes + a.probes, correct: sum.correct + a.correct }), { probes: 0, correct: 0 });
  const percent = (share: number | null) => (share === null ? "n/a" : `${(share * 100).toFixed(1)} %`);
  return `prediction right for ${percent(rate(affected))} of the ${affected.probes} probes it could move (${percent(rate(all))} of all ${all.probes} measured)`;
}
