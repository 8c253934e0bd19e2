import { describe, expect, it } from "vitest";
import { evidenceSplit } from "./evidence";

describe("evidenceSplit", () => {
  it("says what the moving answers' predictions rest on", () => {
    expect(evidenceSplit({ movedBy: { observed: 12, inferred: 30, fallback: 5 } })).toBe("12 observed in an earlier operation, 30 inferred from topology and neighbours, 5 by RTT and distance alone");
  });

  it("says nothing when nothing moves, or for an estimate recorded before the split", () => {
    expect(evidenceSplit({ movedBy: { observed: 0, inferred: 0, fallback: 0 } })).toBeNull();
    expect(evidenceSplit({})).toBeNull();
  });
});
