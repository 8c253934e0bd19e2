import type { AnnouncementState, SessionStatus, SpeakerDriver } from "@/lib/agent-protocol/schemas";

/** What one prefix should look like on the wire. `prepend` is 0 unless drained. */
export type RouteIntent = { state: AnnouncementState; prepend: number; communities: string[] };

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
 * How drivers map this:
 * - BIRD 2: one `static` protocol per prefix, `birdc enable|disable` to announce or withdraw;
 *   the prepend count and communities in an included file read by the export filter, rewritten
 *   and followed by `birdc configure` (no session flap).
 * - GoBGP: AddPath/DeletePath over its gRPC API with an AS_PATH carrying the prepends.
 * - ExaBGP: `announce route ... as-path [...] community [...]` / `withdraw route ...` on its process API.
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
