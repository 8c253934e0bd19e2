// An operation's plan: the target state of each PoP x prefix it changes.
import type { AnnouncementState } from "../pop-state";

export type OperationKind = "drain" | "withdraw" | "restore";

export const DEFAULT_PREPEND = 3;

export type AnnouncementSnapshot = {
  popId: number;
  prefixId: number;
  desiredState: AnnouncementState;
  prependCount: number;
  observedState: AnnouncementState | null;
  /** What the agent last reported; null until it has. */
  observedPrepend: number | null;
};

export type OperationRequest = {
  kind: OperationKind;
  /** One PoP, or several at once (a region during an incident, say). */
  popIds: number[];
  /** Null: every prefix the PoPs have an announcement for. */
  prefixIds: readonly number[] | null;
  prependCount: number;
};

export type PlannedStep = {
  popId: number;
  prefixId: number;
  from: AnnouncementState;
  to: AnnouncementState;
  /** AS-path prepends when `to` is drained, else 0. */
  prependCount: number;
};

export const TARGET_STATE: Record<OperationKind, AnnouncementState> = {
  drain: "drained",
  withdraw: "withdrawn",
  restore: "announced",
};

function isIn(state: AnnouncementState | null, prepend: number | null, to: AnnouncementState, prependCount: number): boolean {
  return state === to && (to !== "drained" || prepend === prependCount);
}

/**
 * The steps that change something. An announcement already in the target state (with the
 * same prepend count, for a drain) is left out, so replaying a request plans nothing. Already
 * so means desired and observed alike: a desired state the agent never reached (its operation
 * failed, or the console stopped before calling it) is planned again, from the state the agent
 * reports. An agent that has not reported yet is taken to be where the console asked.
 */
export function planOperation(request: OperationRequest, announcements: readonly AnnouncementSnapshot[]): PlannedStep[] {
  const to = TARGET_STATE[request.kind];
  const prependCount = to === "drained" ? request.prependCount : 0;
  return announcements
    .filter((a) => request.popIds.includes(a.popId) && (request.prefixIds === null || request.prefixIds.includes(a.prefixId)))
    .filter((a) => !isIn(a.desiredState, a.prependCount, to, prependCount) || (a.observedState !== null && !isIn(a.observedState, a.observedPrepend, to, prependCount)))
    .map((a) => ({
      popId: a.popId,
      prefixId: a.prefixId,
      from: isIn(a.desiredState, a.prependCount, to, prependCount) ? a.observedState ?? a.desiredState : a.desiredState,
      to,
      prependCount,
    }))
    .sort((a, b) => a.popId - b.popId || a.prefixId - b.prefixId);
}

/** The announcements as they will be once the plan is applied. */
export function applyPlan(announcements: readonly AnnouncementSnapshot[], steps: readonly PlannedStep[]): AnnouncementSnapshot[] {
  const byKey = new Map(steps.map((step) => [`${step.popId}:${step.prefixId}`, step]));
  return announcements.map((a) => {
    const step = byKey.get(`${a.popId}:${a.prefixId}`);
    return step ? { ...a, desiredState: step.to, prependCount: step.prependCount, observedState: null, observedPrepend: null } : a;
  });
}
