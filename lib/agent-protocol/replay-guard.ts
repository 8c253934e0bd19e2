import { DEFAULT_MAX_SKEW_MS } from "./signing";

/**
 * A signed request stays valid for maxSkewMs either side of its timestamp, so whoever saw one
 * could send it again within that window and have it act twice. The guard remembers each
 * accepted signature until its timestamp leaves the window (after that the signature check
 * refuses it anyway) and accepts it once. In memory: for one process, the agent. The console,
 * which may run several instances, keeps them in Postgres (lib/server/agents/replay-guard.ts).
 */
export class ReplayGuard {
  private readonly expiries = new Map<string, number>();
  private sweptAt = 0;

  /**
   * `notBefore`: when the process started. What it remembered died with the last one, so a
   * request signed earlier may have been accepted already, and is refused (the console signs
   * each attempt anew, so its retries are not).
   */
  constructor(
    private readonly maxSkewMs: number = DEFAULT_MAX_SKEW_MS,
    private readonly notBefore = 0,
  ) {}

  /** True the first time a signature is seen within its window, false for a replay. */
  accept(signature: string, timestamp: number, now: number = Date.now()): boolean {
    if (timestamp < this.notBefore) return false;
    this.sweep(now);
    const key = signature.toLowerCase();
    if (this.expiries.has(key)) return false;
    this.expiries.set(key, timestamp + this.maxSkewMs);
    return true;
  }

  /** Signatures remembered now; for tests of the sweep. */
  get size(): number {
    return this.expiries.size;
  }

  // At most once a second: the map holds only requests that passed the signature check.
  private sweep(now: number) {
    if (now - this.sweptAt < 1000) return;
    this.sweptAt = now;
    for (const [key, expiry] of this.expiries) if (expiry < now) this.expiries.delete(key);
  }
}
