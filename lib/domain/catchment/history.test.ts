import { describe, expect, it } from "vitest";
import { medianSeries, shareSeries } from "./history";

const hour = (h: number) => new Date(Date.UTC(2026, 10, 25, h));

describe("shareSeries", () => {
  it("turns answers per hour into shares that add up to 1, biggest PoPs first", () => {
    const series = shareSeries(
      [
        { bucket: hour(1), popId: 1, answers: 30 },
        { bucket: hour(1), popId: 2, answers: 10 },
        { bucket: hour(0), popId: 1, answers: 20 },
        { bucket: hour(0), popId: 2, answers: 20 },
      ],
      (id) => `POP${id}`,
    );
    expect(series.keys).toEqual([{ popId: 1, label: "POP1" }, { popId: 2, label: "POP2" }]);
    expect(series.points).toEqual([
      { at: hour(0).toISOString(), p1: 0.5, p2: 0.5 },
      { at: hour(1).toISOString(), p1: 0.75, p2: 0.25 },
    ]);
  });

  it("folds the long tail into one band", () => {
    const rows = [5, 4, 3, 2, 1].map((answers, i) => ({ bucket: hour(0), popId: i + 1, answers }));
    const series = shareSeries(rows, (id) => `POP${id}`, 3);
    expect(series.keys.map((k) => k.label)).toEqual(["POP1", "POP2", "Other PoPs"]);
    expect(series.points[0]).toEqual({ at: hour(0).toISOString(), p1: 5 / 15, p2: 4 / 15, other: 6 / 15 });
  });

  it("a PoP with no answers in an hour has share 0 there, not a gap", () => {
    const series = shareSeries([{ bucket: hour(0), popId: 1, answers: 1 }, { bucket: hour(1), popId: 2, answers: 1 }], (id) => `POP${id}`);
    expect(series.points[0]).toMatchObject({ p1: 1, p2: 0 });
  });
});

describe("medianSeries", () => {
  it("gives one point per hour with each region's median, unknown last", () => {
    const series = medianSeries([
      { bucket: hour(0), region: "unknown", medianMs: 80 },
      { bucket: hour(0), region: "europe", medianMs: 12 },
      { bucket: hour(1), region: "africa", medianMs: 40 },
    ]);
    expect(series.regions).toEqual(["africa", "europe", "unknown"]);
    expect(series.points).toEqual([
      { at: hour(0).toISOString(), unknown: 80, europe: 12 },
      { at: hour(1).toISOString(), africa: 40 },
    ]);
  });
});
