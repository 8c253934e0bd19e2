import "server-only";
import { NO_MOVE, predictCapacity, type CapacityPrediction } from "@/lib/domain/operations/capacity";
import { targetPrefixIds, type OperationInput } from "@/lib/domain/operations/operation-input";
import type { StoredPrediction } from "@/lib/domain/catchment/accuracy";
import { planOperation, type AnnouncementSnapshot, type PlannedStep } from "@/lib/domain/operations/plan";
import { checkCapacity, checkFloor, checkRpki, verdictOf, type Verdict } from "@/lib/domain/operations/safety";
import { loadCatchmentAnswers, loadOperationHistory, loadPopLoads } from "../catchment/load-catchment-facts";
import type { Db } from "../db/create-client";
import { getLatestTraffic } from "../traffic/get-traffic";
import { findOperationTarget, loadAnnouncements, loadPopCodes, loadPrefixFacts } from "./operation-context";

export type OperationPreview = {
  pops: { id: number; code: string }[];
  kind: OperationInput["kind"];
  steps: (PlannedStep & { cidr: string })[];
  verdict: Verdict;
  capacity: CapacityPrediction;
};

/** What an operation would do and whether it is safe: shown before the operator confirms. */
export async function previewOperation(db: Db, input: OperationInput): Promise<OperationPreview> {
  const only = targetPrefixIds(input);
  const { pops, popIds, prefixIds } = await findOperationTarget(db, input.popCodes, only);
  const [announcements, prefixes, popCodes] = await Promise.all([loadAnnouncements(db, prefixIds), loadPrefixFacts(db, prefixIds), loadPopCodes(db)]);
  const steps = planOperation({ kind: input.kind, popIds, prefixIds: only, prependCount: input.prependCount }, announcements);
  const { capacity } = await estimateCapacity(db, steps, announcements, prefixIds);
  const verdict = verdictOf([checkFloor(steps, announcements, prefixes, popCodes), checkCapacity(capacity), checkRpki(steps, prefixes)]);
  return {
    pops: pops.map((pop) => ({ id: pop.id, code: pop.code })),
    kind: input.kind,
    steps: steps.map((step) => ({ ...step, cidr: prefixes.get(step.prefixId)!.cidr })),
    verdict,
    capacity,
  };
}

/** Where the probes of the steps' PoPs would go, by the catchment model, and the load that moves with them. */
export async function estimateCapacity(db: Db, steps: PlannedStep[], before: AnnouncementSnapshot[], prefixIds: number[]): Promise<{ capacity: CapacityPrediction; predictions: StoredPrediction[] }> {
  if (steps.length === 0) return { capacity: NO_MOVE, predictions: [] };
  const traffic = await getLatestTraffic(db);
  const [loads, answers, history] = await Promise.all([
    loadPopLoads(db, (popId) => traffic.get(popId)?.bps ?? 0),
    loadCatchmentAnswers(db, prefixIds),
    loadOperationHistory(db, prefixIds, before),
  ]);
  return predictCapacity(steps, before, answers, loads, history);
}
