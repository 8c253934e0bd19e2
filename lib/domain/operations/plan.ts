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
};

export type OperationRequest = {
  kind: OperationKind;
  /** One PoP, or several at once (a region during an incident, say). */
  popIds: number[];
  /** Null: every prefix the PoPs have an announcement for. */
  prefixId: number | null;
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

/**
 * The steps that change something. An announcement already in the target state (with the
 * same prepend count, for a drain) is left out, so replaying a request plans nothing.
 */
export function planOperation(request: OperationRequest, announcements: readonly AnnouncementSnapshot[]): PlannedStep[] {
  const to = TARGET_STATE[request.kind];
  const prependCount = to === "drained" ? request.prependCount : 0;
  return announcements
    .filter((a) => request.popIds.includes(a.popId) && (request.prefixId === null || a.prefixId === request.prefixId))
    .filter((a) => a.desiredState !== to || (to === "drained" && a.prependCount !== prependCount))
    .map((a) => ({ popId: a.popId, prefixId: a.prefixId, from: a.desiredState, to, prependCount }))
    .sort((a, b) => a.popId - b.popId || a.prefixId - b.prefixId);
}

/** The announcements as they will be once the plan is applied. */
export function applyPlan(announcements: readonly AnnouncementSnapshot[], steps: readonly PlannedStep[]): AnnouncementSnapshot[] {
  const byKey = new Map(steps.map((step) => [`${step.popId}:${step.prefixId}`, step]));
  return announcements.map((a) => {
    const step = byKey.get(`${a.popId}:${a.prefixId}`);
    return step ? { ...a, desiredState: step.to, prependCount: step.prependCount, observedState: null } : a;
  });
}
