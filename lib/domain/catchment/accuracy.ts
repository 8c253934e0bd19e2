// How right a prediction was: each probe's predicted PoP against the PoP it was measured on
// after the change. Pure; the console runs it once an operation has settled, the benchmark
// after each simulated change.
import type { EvidenceKind, Id, MeasuredAnswer, ProbePrediction } from "./model";

/** Fewer probes measured after a change than this, and no accuracy is claimed. */
export const MIN_PROBES_FOR_ACCURACY = 20;
/** ...nor when fewer than this share of the predicted probes were measured again. */
export const MIN_COVERAGE = 0.5;

export type ShareComparison = { popId: Id; predicted: number; measured: number };

export type Tally = { probes: number; correct: number };

export type Accuracy = {
  /** Probes with a prediction and a measurement after the change. */
  probes: number;
  correct: number;
  /**
   * The probes the change could move: measured on a changed PoP before, or predicted or
   * measured to move. Most probes are far from any change, and counting them alone would make
   * any estimate look right.
   */
  affected: Tally;
  /** Affected probes by the evidence their prediction rested on. */
  byEvidence: Record<EvidenceKind, Tally>;
  /** Shares (0..1) of the compared probes per PoP, predicted and measured; null: no route. */
  shares: ShareComparison[];
  /**
   * The error of the predicted load: the share of the compared probes that would have to move
   * for the predicted shares to equal the measured ones (half the sum of absolute differences).
   */
  loadError: number;
  /** The largest error of one PoP's share, in the direction measured minus predicted. */
  worstPop: { popId: Id; error: number } | null;
};

export type AccuracyOutcome = { kind: "measured"; accuracy: Accuracy } | { kind: "too-few"; probes: number; predicted: number };

function tally(): Tally {
  return { probes: 0, correct: 0 };
}

function count(into: Tally, right: boolean): void {
  into.probes++;
  if (right) into.correct++;
}

/** The share a tally got right; null when it counted nothing. */
export function rate(tally: Tally): number | null {
  return tally.probes ? tally.correct / tally.probes : null;
}

/**
 * Compares predictions with the answers measured after the change (the latest per probe).
 * A probe the prediction strands (no route) is right when it answered nothing after.
 */
export function measureAccuracy(
  predictions: readonly ProbePrediction[],
  after: readonly MeasuredAnswer[],
  changedPopIds: readonly Id[],
): AccuracyOutcome {
  const latest = new Map<Id, MeasuredAnswer>();
  for (const answer of after) {
    const seen = latest.get(answer.probeId);
    if (!seen || answer.at.getTime() > seen.at.getTime()) latest.set(answer.probeId, answer);
  }
  const changed = new Set(changedPopIds);
  const stranded = predictions.some((p) => p.popId === null);

  const affected = tally();
  const byEvidence: Record<EvidenceKind, Tally> = { observed: tally(), inferred: tally(), fallback: tally() };
  const predictedCounts = new Map<Id | null, number>();
  const measuredCounts = new Map<Id | null, number>();
  let probes = 0;
  let correct = 0;
  for (const prediction of predictions) {
    const answer = latest.get(prediction.probeId);
    // Without an answer after, only a stranded prediction can be checked: when no PoP announces, nothing answers.
    if (!answer && !(stranded && prediction.popId === null)) continue;
    const measuredPopId = answer?.popId ?? null;
    const right = measuredPopId === prediction.popId;
    probes++;
    if (right) correct++;
    predictedCounts.set(prediction.popId, (predictedCounts.get(prediction.popId) ?? 0) + 1);
    measuredCounts.set(measuredPopId, (measuredCounts.get(measuredPopId) ?? 0) + 1);
    const moves = prediction.popId !== prediction.measuredPopId || measuredPopId !== prediction.measuredPopId;
    if (moves || changed.has(prediction.measuredPopId)) {
      count(affected, right);
      count(byEvidence[prediction.evidence], right);
    }
  }
  if (probes < MIN_PROBES_FOR_ACCURACY || probes < predictions.length * MIN_COVERAGE) {
    return { kind: "too-few", probes, predicted: predictions.length };
  }

  const popIds = [...new Set([...predictedCounts.keys(), ...measuredCounts.keys()])];
  const shares = popIds
    .map((popId) => ({ popId, predicted: (predictedCounts.get(popId) ?? 0) / probes, measured: (measuredCounts.get(popId) ?? 0) / probes }))
    .sort((a, b) => b.measured - a.measured || b.predicted - a.predicted);
  let loadError = 0;
  let worstPop: Accuracy["worstPop"] = null;
  for (const share of shares) {
    const error = share.measured - share.predicted;
    loadError += Math.abs(error) / 2;
    if (share.popId !== null && (!worstPop || Math.abs(error) > Math.abs(worstPop.error))) worstPop = { popId: share.popId, error };
  }
  return {
    kind: "measured",
    accuracy: {
      probes,
      correct,
      affected,
      byEvidence,
      shares: shares.filter((share): share is ShareComparison => share.popId !== null),
      loadError,
      worstPop,
    },
  };
}

/** One prefix's prediction as an operation keeps it: each probe as [id, PoP measured, PoP predicted or null, evidence]. */
export type StoredPrediction = {
  prefixId: number;
  changedPopIds: number[];
  probes: [probeId: number, measuredPopId: number, popId: number | null, evidence: EvidenceKind][];
};

/** What an operation's page shows once it settled: per prefix, the prediction against the measurement. */
export type OperationAccuracy = { settleSeconds: number; prefixes: { prefixId: number; outcome: AccuracyOutcome }[] };

export function storePrediction(prefixId: number, changedPopIds: readonly number[], predictions: readonly ProbePrediction[]): StoredPrediction {
  return {
    prefixId,
    changedPopIds: [...changedPopIds],
    probes: predictions.map((p) => [p.probeId as number, p.measuredPopId as number, p.popId as number | null, p.evidence]),
  };
}

export function storedPredictions(stored: StoredPrediction): ProbePrediction[] {
  return stored.probes.map(([probeId, measuredPopId, popId, evidence]) => ({ probeId, measuredPopId, popId, evidence, reason: "unaffected" }));
}
