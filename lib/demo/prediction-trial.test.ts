import { describe, expect, it } from "vitest";
import { rate } from "@/lib/domain/catchment/accuracy";
import { DEFAULT_DEMO_SEED } from "./fleet";
import { runPredictionTrial, summariseTrial } from "./prediction-trial";

describe("the catchment model on the demo fleet (npm run bench:predict)", () => {
  const results = runPredictionTrial({ seed: DEFAULT_DEMO_SEED, now: new Date("2026-12-01T12:00:00Z") });
  const summary = new Map(summariseTrial(results).map((s) => [s.change, s]));

  it("scores every drain and withdraw of every PoP against what the probes measured after it", () => {
    expect(results).toHaveLength(20 * 3);
    for (const s of summary.values()) {
      expect(s.operations).toBe(20);
      expect(s.model.probes).toBeGreaterThan(1000);
    }
  });

  it("meets the issue's targets on the probes each change could move, and beats the nearest-distance estimate", () => {
    expect(rate(summary.get("withdraw")!.model)).toBeGreaterThanOrEqual(0.9);
    expect(rate(summary.get("first drain")!.model)).toBeGreaterThanOrEqual(0.8);
    expect(rate(summary.get("observed drain")!.model)).toBeGreaterThanOrEqual(0.9);
    for (const s of summary.values()) expect(rate(s.model)!).toBeGreaterThan(rate(s.nearest)!);
  });

  it("replays an observed drain: every moving probe of a second drain rests on observation", () => {
    for (const result of results.filter((r) => r.change === "observed drain")) {
      expect(result.model.byEvidence.observed.probes).toBe(result.model.affected.probes);
    }
    for (const result of results.filter((r) => r.change === "first drain")) expect(result.model.byEvidence.observed.probes).toBe(0);
  });
});
