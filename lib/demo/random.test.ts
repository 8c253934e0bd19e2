import { describe, expect, it } from "vitest";
import { mulberry32, pickWeighted, randomInt, shuffled, weightedSampleWithoutReplacement } from "./random";

describe("seeded randomness", () => {
  it("repeats for a seed and differs between seeds", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, mulberry32(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    const random = mulberry32(3);
    const values = Array.from({ length: 10_000 }, () => random());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });

  it("draws integers in a closed range", () => {
    const random = mulberry32(4);
    const values = new Set(Array.from({ length: 1000 }, () => randomInt(random, 2, 4)));
    expect([...values].sort()).toEqual([2, 3, 4]);
  });

  it("picks by weight, with and without replacement", () => {
    const random = mulberry32(5);
    const picks = Array.from({ length: 10_000 }, () => pickWeighted(random, ["a", "b"], (item) => (item === "a" ? 9 : 1)));
    expect(picks.filter((pick) => pick === "a").length).toBeGreaterThan(8_700);
    const items = Array.from({ length: 100 }, (_, i) => i);
    const sample = weightedSampleWithoutReplacement(random, items, 10, (item) => (item < 10 ? 1000 : 1));
    expect(new Set(sample).size).toBe(10);
    expect(sample.filter((item) => item < 10).length).toBeGreaterThanOrEqual(8);
    expect(shuffled(random, items).sort((a, b) => a - b)).toEqual(items);
  });
});
