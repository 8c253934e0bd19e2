import "server-only";
import type { CapacityPrediction } from "@/lib/domain/operations/capacity";
import type { PlannedStep } from "@/lib/domain/operations/plan";
import type { Verdict } from "@/lib/domain/operations/safety";
import { db } from "../db/client";

type PlanEntry = PlannedStep & { cidr: string };

const planOf = (plan: unknown): PlanEntry[] => (Array.isArray(plan) ? (plan as PlanEntry[]) : []);

/**
 * The codes of the PoPs and the prefixes each operation names, from its plan: a refused
 * operation has no steps to say which, and one across several has no single PoP or prefix.
 */
async function withTargets<T extends { plan: unknown }>(operations: T[]): Promise<(T & { popCodes: string[]; cidrs: string[] })[]> {
  const ids = [...new Set(operations.flatMap((operation) => planOf(operation.plan).map((step) => step.popId)))];
  const pops = await db.pop.findMany({ where: { id: { in: ids } }, select: { id: true, code: true } });
  const codes = new Map(pops.map((pop) => [pop.id, pop.code]));
  return operations.map((operation) => ({
    ...operation,
    popCodes: [...new Set(planOf(operation.plan).map((step) => codes.get(step.popId) ?? `#${step.popId}`))].sort(),
    cidrs: [...new Set(planOf(operation.plan).map((step) => step.cidr))],
  }));
}

export async function getOperation(id: string) {
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
  const verdict = operation.verdict as unknown as Verdict & { capacity?: CapacityPrediction };
  const [named] = await withTargets([operation]);
  return { ...named!, verdict, plan: planOf(operation.plan) };
}

export async function listOperations(options: { popId?: number; take?: number } = {}) {
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
  return withTargets(operations);
}
