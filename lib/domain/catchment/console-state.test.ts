import { describe, expect, it } from "vitest";
import { planOperation, type AnnouncementSnapshot } from "../operations/plan";
import { routingOf, scenarioOf } from "./console-state";

const announcements: AnnouncementSnapshot[] = [
  { popId: 1, prefixId: 10, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: null },
  { popId: 2, prefixId: 10, desiredState: "drained", prependCount: 3, observedState: null, observedPrepend: null },
  { popId: 3, prefixId: 10, desiredState: "announced", prependCount: 0, observedState: "withdrawn", observedPrepend: null },
  { popId: 1, prefixId: 11, desiredState: "withdrawn", prependCount: 0, observedState: "withdrawn", observedPrepend: null },
  { popId: 4, prefixId: 10, desiredState: "drained", prependCount: 3, observedState: "drained", observedPrepend: 5 },
];

describe("the console's state for the catchment model", () => {
  it("takes each PoP's routing of one prefix as observed (state and prepends), else as desired", () => {
    expect(routingOf(announcements, 10)).toEqual([
      { popId: 1, state: "announced" },
      { popId: 2, state: "drained", prepends: 3 },
      { popId: 3, state: "withdrawn" },
      { popId: 4, state: "drained", prepends: 5 },
    ]);
  });

  it("turns a plan into the scenario of one prefix", () => {
    const steps = planOperation({ kind: "drain", popIds: [1], prefixIds: null, prependCount: 2 }, announcements);
    expect(scenarioOf(steps, 10)).toEqual({ changes: [{ popId: 1, state: "drained", prepends: 2 }] });
    expect(scenarioOf(steps, 11)).toEqual({ changes: [{ popId: 1, state: "drained", prepends: 2 }] });
    expect(scenarioOf(planOperation({ kind: "withdraw", popIds: [3], prefixIds: [10], prependCount: 3 }, announcements), 10)).toEqual({ changes: [{ popId: 3, state: "withdrawn" }] });
  });
});
