import "server-only";
import { predictCapacity, type CapacityPrediction } from "@/lib/domain/operations/capacity";
import { targetPrefixIds, type OperationInput } from "@/lib/domain/operations/operation-input";
import { applyPlan, planOperation, type PlannedStep } from "@/lib/domain/operations/plan";
import { checkCapacity, checkFloor, checkRpki, verdictOf, type Verdict } from "@/lib/domain/operations/safety";
import { getCurrentAnswers } from "../catchment/get-current-catchment";
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
  const capacity = await estimateCapacity(db, steps, applyPlan(announcements, steps), prefixIds);
  const verdict = verdictOf([checkFloor(steps, announcements, prefixes, popCodes), checkCapacity(capacity), checkRpki(steps, prefixes)]);
  return {
    pops: pops.map((pop) => ({ id: pop.id, code: pop.code })),
    kind: input.kind,
    steps: steps.map((step) => ({ ...step, cidr: prefixes.get(step.prefixId)!.cidr })),
    verdict,
    capacity,
  };
}

export async function estimateCapacity(
  db: Db,
  steps: PlannedStep[],
  after: Parameters<typeof predictCapacity>[1],
  prefixIds: number[],
): Promise<CapacityPrediction> {
  if (steps.length === 0) return { movedProbes: 0, movedByRegion: [], receivers: [], stranded: 0 };
  const [pops, traffic, answers] = await Promise.all([
    db.pop.findMany({ where: { status: { not: "decommissioned" } }, select: { id: true, code: true, latitude: true, longitude: true, capacityGbps: true } }),
    getLatestTraffic(),
    getCurrentAnswers(prefixIds),
  ]);
  const loads = pops.map((pop) => ({
    id: pop.id,
    code: pop.code,
    lat: pop.latitude,
    lon: pop.longitude,
    capacityBps: pop.capacityGbps * 1e9,
    currentBps: traffic.get(pop.id)?.bps ?? 0,
  }));
  return predictCapacity(steps, after, answers, loads);
}
