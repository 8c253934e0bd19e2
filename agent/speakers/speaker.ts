import type { AnnouncementState, SessionStatus, SpeakerDriver } from "@/lib/agent-protocol/schemas";

/** What one prefix should look like on the wire. `prepend` is 0 unless drained. */
export type RouteIntent = { state: AnnouncementState; prepend: number; communities: string[] };

/** Whether two routes put the same thing on the wire: state, prepends and communities. */
export const sameRoute = (a: RouteIntent, b: RouteIntent) => a.state === b.state && a.prepend === b.prepend && a.communities.join(" ") === b.communities.join(" ");

export type SpeakerRoute = RouteIntent & { prefix: string };

export type SpeakerStatus = {
  up: boolean;
  error: string | null;
  sessions: SessionStatus[];
  routes: SpeakerRoute[];
};

export type SpeakerErrorCode = "not_running" | "rejected" | "unavailable" | "timeout";

/** A driver failure. Whoever throws it guarantees the previous state of the prefix is still in force. */
export class SpeakerError extends Error {
  constructor(
    readonly code: SpeakerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SpeakerError";
  }
}

/**
 * A BGP speaker driver. Each configured prefix is always in one of three states:
 * - announced: exported to every upstream;
 * - drained: exported with the PoP's ASN prepended `prepend` times (and `communities`), so
 *   traffic that has another path goes elsewhere while the route stays up (fail-soft);
 * - withdrawn: not exported, with the BGP sessions kept up.
 *
 * Drivers built: `sim` (in memory) and `bird` (BIRD 2.0.12+ and BIRD 3, see bird.ts): one
 * `static` protocol per prefix in a file bird.conf includes, `disabled yes|no` to withdraw or
 * announce, and the prepends and communities in `catchment_export()`, which the export filter
 * calls; the file is rewritten and applied with `birdc configure` (no session flap). The config
 * accepts `gobgp` and `exabgp`, but no driver exists for them: createSpeaker refuses them.
 */
export interface Speaker {
  readonly driver: SpeakerDriver;
  /** Connects to the speaker (or, for the simulator, brings it up). */
  start(): Promise<void>;
  /**
   * Releases the driver. A real speaker keeps its routes: an agent restart must not flap
   * the PoP's announcements.
   */
  stop(): Promise<void>;
  /**
   * Puts one prefix in the given state. Idempotent: applying the state already in force is
   * harmless. Throws SpeakerError on failure, with the previous state still in force.
   */
  apply(prefix: string, intent: RouteIntent): Promise<void>;
  status(): Promise<SpeakerStatus>;
}
