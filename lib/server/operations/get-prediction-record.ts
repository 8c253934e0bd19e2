import "server-only";
import type { Db, Tx } from "../db/create-client";
import { rate, type OperationAccuracy, type Tally } from "@/lib/domain/catchment/accuracy";
import { Prisma } from "@/lib/generated/prisma/client";

export const RECORD_DAYS = 30;
const LISTED = 10;

export type CheckedOperation = { id: string; kind: string; popCode: string | null; finishedAt: Date; affected: Tally | null };

export type PredictionRecord = {
  /** Per kind of operation, the probes each could move, summed over those with enough measurements. */
  byKind: { kind: string; operations: number; affected: Tally; tooFew: number }[];
  latest: CheckedOperation[];
};

function affectedOf(accuracy: OperationAccuracy): Tally | null {
  const measured = accuracy.prefixes.flatMap(({ outcome }) => (outcome.kind === "measured" ? [outcome.accuracy.affected] : []));
  if (measured.length === 0) return null;
  return measured.reduce((sum, t) => ({ probes: sum.probes + t.probes, correct: sum.correct + t.correct }), { probes: 0, correct: 0 });
}

/** How right the catchment model was after each operation of the last 30 days. */
export async function getPredictionRecord(db: Db | Tx, now = new Date()): Promise<PredictionRecord> {
  const operations = await db.operation.findMany({
    where: { accuracy: { not: Prisma.DbNull }, finishedAt: { gte: new Date(now.getTime() - RECORD_DAYS * 86_400_000) } },
    orderBy: { finishedAt: "desc" },
    select: { id: true, kind: true, finishedAt: true, accuracy: true, pop: { select: { code: true } } },
  });
  const checked: CheckedOperation[] = operations.map((operation) => ({
    id: operation.id,
    kind: operation.kind,
    popCode: operation.pop?.code ?? null,
    finishedAt: operation.finishedAt!,
    affected: affectedOf(operation.accuracy as unknown as OperationAccuracy),
  }));
  const kinds = new Map<string, PredictionRecord["byKind"][number]>();
  for (const operation of checked) {
    const entry = kinds.get(operation.kind) ?? { kind: operation.kind, operations: 0, affected: { probes: 0, correct: 0 }, tooFew: 0 };
    entry.operations++;
    if (operation.affected) {
      entry.affected.probes += operation.affected.probes;
      entry.affected.correct += operation.affected.correct;
    } else entry.tooFew++;
    kinds.set(operation.kind, entry);
  }
  return { byKind: [...kinds.values()].sort((a, b) => (rate(b.affected) ?? 0) - (rate(a.affected) ?? 0)), latest: checked.slice(0, LISTED) };
}
