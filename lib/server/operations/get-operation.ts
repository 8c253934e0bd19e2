import "server-only";
import type { CapacityPrediction } from "@/lib/domain/operations/capacity";
import type { Verdict } from "@/lib/domain/operations/safety";
import { db } from "../db/client";

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
  return { ...operation, verdict };
}

export async function listOperations(options: { popId?: number; take?: number } = {}) {
  return db.operation.findMany({
    where: options.popId ? { steps: { some: { popId: options.popId } } } : {},
    orderBy: { createdAt: "desc" },
    take: options.take ?? 50,
    include: {
      pop: { select: { code: true } },
      prefix: { select: { cidr: true } },
      requestedBy: { select: { username: true } },
      steps: { select: { status: true, pop: { select: { code: true } } } },
    },
  });
}
