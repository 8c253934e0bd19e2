import "server-only";
import type { Db, Tx } from "../db/create-client";
import type { AccuracyOutcome, OperationAccuracy } from "@/lib/domain/catchment/accuracy";
import type { CapacityPrediction } from "@/lib/domain/operations/capacity";
import type { PlannedStep } from "@/lib/domain/operations/plan";
import type { Verdict } from "@/lib/domain/operations/safety";
import { SETTLE_MS } from "../catchment/load-catchment-facts";

type PlanEntry = PlannedStep & { cidr: string };

const planOf = (plan: unknown): PlanEntry[] => (Array.isArray(plan) ? (plan as PlanEntry[]) : []);

/**
 * The codes of the PoPs and the prefixes each operation names, from its plan: a refused
 * operation has no steps to say which, and one across several has no single PoP or prefix.
 */
async function withTargets<T extends { plan: unknown }>(db: Db | Tx, operations: T[]): Promise<(T & { popCodes: string[]; cidrs: string[] })[]> {
  const ids = [...new Set(operations.flatMap((operation) => planOf(operation.plan).map((step) => step.popId)))];
  const pops = await db.pop.findMany({ where: { id: { in: ids } }, select: { id: true, code: true } });
  const codes = new Map(pops.map((pop) => [pop.id, pop.code]));
  return operations.map((operation) => ({
    ...operation,
    popCodes: [...new Set(planOf(operation.plan).map((step) => codes.get(step.popId) ?? `#${step.popId}`))].sort(),
    cidrs: [...new Set(planOf(operation.plan).map((step) => step.cidr))],
  }));
}

export async function getOperation(db: Db | Tx, id: string) {
  const operation = await db.operation.findUnique({
    where: { id },
    include: {
      pop: { select: { code: true, name: true } },
      prefix: { select: { cidr: true } },
      requestedBy: { select: { username: true, name: true } },
      steps: { include: { pop: { select: { code: true } }, prefix: { select: { cidr: true } } }, orderBy: [{ popId: "asc" }, { prefixId: "asc" }] },
    },
  });
  if (!operation) return null;
  // The prediction probe by probe is for the check after the operation, not for the page.
  const { prediction, accuracy, ...rest } = operation;
  const verdict = rest.verdict as unknown as Verdict & { capacity?: CapacityPrediction };
  const [named] = await withTargets(db, [rest]);
  return { ...named!, verdict, plan: planOf(rest.plan), predictionCheck: await predictionCheck(db, prediction !== null, accuracy as OperationAccuracy | null, rest.finishedAt) };
}

export type PredictionCheck =
  | { state: "none" }
  | { state: "pending"; dueAt: Date | null; settleSeconds: number }
  | { state: "checked"; settleSeconds: number; prefixes: { cidr: string; outcome: AccuracyOutcome; popCodes: Record<string, string> }[] };

/** The operation's prediction against what the probes measured after it, with PoP codes and prefixes named. */
async function predictionCheck(db: Db | Tx, predicted: boolean, accuracy: OperationAccuracy | null, finishedAt: Date | null): Promise<PredictionCheck> {
  if (!predicted) return { state: "none" };
  if (!accuracy) return { state: "pending", dueAt: finishedAt && new Date(finishedAt.getTime() + SETTLE_MS), settleSeconds: SETTLE_MS / 1000 };
  const popIds = accuracy.prefixes.flatMap(({ outcome }) => (outcome.kind === "measured" ? outcome.accuracy.shares.map((share) => Number(share.popId)) : []));
  const [pops, prefixes] = await Promise.all([
    db.pop.findMany({ where: { id: { in: [...new Set(popIds)] } }, select: { id: true, code: true } }),
    db.prefix.findMany({ where: { id: { in: accuracy.prefixes.map((p) => p.prefixId) } }, select: { id: true, cidr: true } }),
  ]);
  const popCodes = Object.fromEntries(pops.map((pop) => [String(pop.id), pop.code]));
  const cidrs = new Map(prefixes.map((prefix) => [prefix.id, prefix.cidr]));
  return {
    state: "checked",
    settleSeconds: accuracy.settleSeconds,
    prefixes: accuracy.prefixes.map(({ prefixId, outcome }) => ({ cidr: cidrs.get(prefixId) ?? `prefix #${prefixId}`, outcome, popCodes })),
  };
}

export async function listOperations(db: Db | Tx, options: { popId?: number; take?: number } = {}) {
  const operations = await db.operation.findMany({
    // A refused operation has no steps: its plan says which PoPs it named.
    where: options.popId ? { OR: [{ popId: options.popId }, { steps: { some: { popId: options.popId } } }, { plan: { array_contains: [{ popId: options.popId }] } }] } : {},
    orderBy: { createdAt: "desc" },
    take: options.take ?? 50,
    include: {
      pop: { select: { code: true } },
      prefix: { select: { cidr: true } },
      requestedBy: { select: { username: true } },
      steps: { select: { status: true } },
    },
  });
  return withTargets(db, operations);
}
