// The console's announcements and operation plans in the catchment model's words, so the
// preview and the accuracy check feed the model without reshaping data themselves.
import { effectiveState } from "../pop-state";
import type { AnnouncementSnapshot, PlannedStep } from "../operations/plan";
import type { PopRouting, Scenario } from "./model";

/** How each PoP announces one prefix now: what its agent reports, else what was asked. */
export function routingOf(announcements: readonly AnnouncementSnapshot[], prefixId: number): PopRouting[] {
  return announcements
    .filter((a) => a.prefixId === prefixId)
    .map((a) => {
      const state = effectiveState(a);
      const prepends = a.observedState !== null ? (a.observedPrepend ?? a.prependCount) : a.prependCount;
      return state === "drained" ? { popId: a.popId, state, prepends } : { popId: a.popId, state };
    });
}

/** An operation's plan for one prefix as a scenario: each step's target state. */
export function scenarioOf(steps: readonly PlannedStep[], prefixId: number): Scenario {
  return {
    changes: steps
      .filter((step) => step.prefixId === prefixId)
      .map((step) => (step.to === "drained" ? { popId: step.popId, state: step.to, prepends: step.prependCount } : { popId: step.popId, state: step.to })),
  };
}
