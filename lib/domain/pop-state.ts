// What a PoP is doing with its prefixes, in one word, from its announcements.
export type AnnouncementState = "announced" | "drained" | "withdrawn";
export type PopAnnouncementState = AnnouncementState | "mixed" | "none";

export type AnnouncementView = { desiredState: AnnouncementState; observedState: AnnouncementState | null };

/** The state the PoP is in as far as we know: what the agent reports, else what we asked for. */
export function effectiveState(announcement: AnnouncementView): AnnouncementState {
  return announcement.observedState ?? announcement.desiredState;
}

export function hasDrift(announcement: AnnouncementView): boolean {
  return announcement.observedState !== null && announcement.observedState !== announcement.desiredState;
}

export function popAnnouncementState(announcements: readonly AnnouncementView[]): PopAnnouncementState {
  const states = new Set(announcements.map(effectiveState));
  if (states.size === 0) return "none";
  if (states.size === 1) return [...states][0]!;
  return "mixed";
}

export const POP_STATE_LABELS: Record<PopAnnouncementState, string> = {
  announced: "Announced",
  drained: "Drained",
  withdrawn: "Withdrawn",
  mixed: "Mixed",
  none: "No prefixes",
};
