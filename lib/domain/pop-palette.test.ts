import { describe, expect, it } from "vitest";
import { UNMATCHED_COLOR, popColor } from "./pop-palette";

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

describe("popColor", () => {
  it("gives a PoP the same colour every time, from its id alone", () => {
    expect(popColor(7)).toBe(popColor(7));
    expect(popColor(7)).toMatch(/^#[0-9a-f]{6}$/);
    expect(popColor(null)).toBe(UNMATCHED_COLOR);
  });

  it("converts HSL correctly: hue 0 is a red", () => {
    const [r, g, b] = rgb(popColor(0));
    expect(r).toBeGreaterThan(200);
    expect(Math.abs(g - b)).toBeLessThanOrEqual(1);
  });

  it("keeps the demo fleet's 20 PoPs visibly apart", () => {
    const colors = Array.from({ length: 20 }, (_, i) => rgb(popColor(i + 1)));
    let closest = Infinity;
    for (let i = 0; i < colors.length; i++) for (let j = i + 1; j < colors.length; j++) {
      closest = Math.min(closest, Math.hypot(...colors[i]!.map((c, k) => c - colors[j]![k]!)));
    }
    expect(closest).toBeGreaterThan(30);
  });

  it("gives a scenario's candidate PoPs (negative ids) colours of their own, five apart", () => {
    const candidates = [-1, -2, -3, -4, -5].map(popColor);
    expect(new Set(candidates).size).toBe(5);
    for (const color of candidates) expect(color).toMatch(/^#[0-9a-f]{6}$/);
    expect(popColor(-6)).toBe(popColor(-1));
  });
});
