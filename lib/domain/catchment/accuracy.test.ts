import { describe, expect, it } from "vitest";
import { MIN_PROBES_FOR_ACCURACY, measureAccuracy } from "./accuracy";
import type { MeasuredAnswer, ProbePrediction } from "./model";

const at = new Date("2026-12-01T00:05:00Z");
const predicted = (probeId: string, from: string, to: string | null, evidence: ProbePrediction["evidence"] = "inferred"): ProbePrediction => ({ probeId, measuredPopId: from, popId: to, evidence, reason: evidence === "observed" ? "replayed" : "neighbours" });
const answer = (probeId: string, popId: string, when = at): MeasuredAnswer => ({ probeId, popId, rttMs: 10, at: when });

describe("measureAccuracy", () => {
  // 40 probes: 30 far away on fra, 10 on the drained ams, 8 predicted to lon.
  const predictions = [
    ...Array.from({ length: 30 }, (_, i) => predicted(`f${i}`, "fra", "fra", "observed")),
    ...Array.from({ length: 8 }, (_, i) => predicted(`a${i}`, "ams", "lon")),
    predicted("a8", "ams", "ams"),
    predicted("a9", "ams", "lon", "fallback"),
  ];
  const after = [
    ...Array.from({ length: 30 }, (_, i) => answer(`f${i}`, "fra")),
    ...Array.from({ length: 6 }, (_, i) => answer(`a${i}`, "lon")),
    answer("a6", "ams", new Date("2026-12-01T00:01:00Z")),
    answer("a6", "fra"), // the latest answer counts
    answer("a7", "fra"),
    answer("a8", "ams"),
    answer("a9", "lon"),
  ];

  it("counts each probe's predicted PoP against its latest measured one, overall and on the probes the change could move", () => {
    const outcome = measureAccuracy(predictions, after, ["ams"]);
    expect(outcome.kind).toBe("measured");
    if (outcome.kind !== "measured") return;
    const { accuracy } = outcome;
    expect(accuracy).toMatchObject({ probes: 40, correct: 38, affected: { probes: 10, correct: 8 } });
    expect(accuracy.byEvidence).toEqual({ observed: { probes: 0, correct: 0 }, inferred: { probes: 9, correct: 7 }, fallback: { probes: 1, correct: 1 } });
    expect(accuracy.shares).toEqual([
      { popId: "fra", predicted: 30 / 40, measured: 32 / 40 },
      { popId: "lon", predicted: 9 / 40, measured: 7 / 40 },
      { popId: "ams", predicted: 1 / 40, measured: 1 / 40 },
    ]);
    expect(accuracy.loadError).toBeCloseTo(2 / 40, 10);
    expect(accuracy.worstPop?.popId).toBe("fra");
    expect(accuracy.worstPop?.error).toBeCloseTo(2 / 40, 10);
  });

  it("claims nothing when too few probes were measured after the change", () => {
    const few = after.slice(0, MIN_PROBES_FOR_ACCURACY - 1);
    expect(measureAccuracy(predictions, few, ["ams"])).toEqual({ kind: "too-few", probes: MIN_PROBES_FOR_ACCURACY - 1, predicted: 40 });
    // Enough probes, but under half of those predicted.
    const many = Array.from({ length: 100 }, (_, i) => predicted(`m${i}`, "fra", "fra"));
    expect(measureAccuracy(many, after, ["ams"]).kind).toBe("too-few");
  });

  it("counts a stranded prediction right when nothing answered after", () => {
    const stranded = Array.from({ length: 25 }, (_, i) => predicted(`s${i}`, "ams", null));
    const outcome = measureAccuracy(stranded, [], ["ams"]);
    expect(outcome).toMatchObject({ kind: "measured", accuracy: { probes: 25, correct: 25, loadError: 0 } });
  });
});
