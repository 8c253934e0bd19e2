// The withdraw leases an agent holds from the console. A failed health check drains a prefix;
// only a lease, granted by the console while the prefix's safety floor holds, lets the agent
// withdraw it instead. The agent asks for one while it needs it, renews it at a third of its
// time, and counts it as held only until a margin before the console's expiry, by its own
// monotonic clock: it gives a lease up early rather than late. Refused or unreachable, it asks
// again after `retryMs`; no longer needed, it announces again first and then gives it back.
import type { Logger } from "pino";
import type { Clock, Timer } from "./clock";
import type { ConsoleLink } from "./console-link";

type Lease = { id: string; deadline: number; renewTimer?: Timer; expiryTimer?: Timer };

/** What the keeper asks of the agent about a prefix. */
export type LeaseNeeds = {
  /** Whether the prefix should be withdrawn under a lease now. */
  wants(prefix: string): boolean;
  /** Why, for the console's audit. */
  reason(prefix: string): string;
  /** Puts the prefix's effective state on the wire: a lease granted or lost changes it. */
  reconcile(prefix: string): Promise<void>;
};

/** How long before the console's expiry the agent stops counting on a lease: clock and apply delays. */
export function leaseMargin(ttlMs: number): number {
  return Math.min(2000, ttlMs / 4);
}

export class LeaseKeeper {
  private readonly leases = new Map<string, Lease>();
  private readonly acquiring = new Set<string>();
  private readonly retries = new Map<string, Timer>();
  private stopped = false;

  constructor(
    private readonly link: ConsoleLink,
    private readonly needs: LeaseNeeds,
    private readonly options: { logger: Logger; clock: Clock; retryMs: number },
  ) {}

  /** Whether a lease for the prefix is held and not yet past its deadline. */
  held(prefix: string): boolean {
    const lease = this.leases.get(prefix);
    return lease !== undefined && this.options.clock.monotonic() < lease.deadline;
  }

  private wants(prefix: string): boolean {
    return !this.stopped && this.needs.wants(prefix);
  }

  /** Asks for a lease the prefix now needs, or gives back one it no longer needs. */
  async update(prefix: string): Promise<void> {
    if (this.wants(prefix)) {
      if (!this.leases.has(prefix) && !this.acquiring.has(prefix) && !this.retries.has(prefix)) await this.acquire(prefix);
      return;
    }
    this.options.clock.clearTimer(this.retries.get(prefix));
    this.retries.delete(prefix);
    const lease = this.leases.get(prefix);
    if (!lease) return;
    this.drop(prefix);
    // Announce again first, then give the lease back: the console must not count this PoP
    // as announcing before it is.
    await this.needs.reconcile(prefix);
    const released = await this.link.lease({ prefix, action: "release", leaseId: lease.id, reason: "health check recovered" });
    if (!released.ok) this.options.logger.warn({ prefix, error: released.message }, "could not release the withdraw lease; it will expire");
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.retries.values()) this.options.clock.clearTimer(timer);
    for (const lease of this.leases.values()) {
      this.options.clock.clearTimer(lease.renewTimer);
      this.options.clock.clearTimer(lease.expiryTimer);
    }
  }

  private drop(prefix: string): void {
    const lease = this.leases.get(prefix);
    if (!lease) return;
    this.options.clock.clearTimer(lease.renewTimer);
    this.options.clock.clearTimer(lease.expiryTimer);
    this.leases.delete(prefix);
  }

  private retryLater(prefix: string): void {
    if (this.stopped || this.retries.has(prefix)) return;
    this.retries.set(
      prefix,
      this.options.clock.setTimer(() => {
        this.retries.delete(prefix);
        void this.update(prefix);
      }, this.options.retryMs),
    );
  }

  private async acquire(prefix: string): Promise<void> {
    this.acquiring.add(prefix);
    const sentAt = this.options.clock.monotonic();
    const result = await this.link.lease({ prefix, action: "acquire", reason: this.needs.reason(prefix) });
    this.acquiring.delete(prefix);
    const granted = result.ok && result.value.granted && result.value.leaseId !== null && result.value.ttlMs !== null;
    if (!this.wants(prefix)) {
      if (granted && result.ok) await this.link.lease({ prefix, action: "release", leaseId: result.value.leaseId!, reason: "no longer needed" });
      return;
    }
    if (!granted || !result.ok) {
      const why = result.ok ? result.value.message : result.message;
      this.options.logger.warn({ prefix, why }, "withdraw lease not granted: staying drained");
      this.retryLater(prefix);
      return;
    }
    this.hold(prefix, result.value.leaseId!, sentAt, result.value.ttlMs!);
    this.options.logger.warn({ prefix, leaseId: result.value.leaseId, ttlMs: result.value.ttlMs }, "withdraw lease granted");
    await this.needs.reconcile(prefix);
  }

  private hold(prefix: string, id: string, sentAt: number, ttlMs: number): void {
    const { clock } = this.options;
    const previous = this.leases.get(prefix);
    clock.clearTimer(previous?.renewTimer);
    clock.clearTimer(previous?.expiryTimer);
    const deadline = sentAt + ttlMs - leaseMargin(ttlMs);
    const lease: Lease = { id, deadline };
    lease.expiryTimer = clock.setTimer(() => void this.expire(prefix, id), Math.max(0, deadline - clock.monotonic()));
    lease.renewTimer = clock.setTimer(() => void this.renew(prefix, id), Math.max(0, sentAt + ttlMs / 3 - clock.monotonic()));
    this.leases.set(prefix, lease);
  }

  private async renew(prefix: string, id: string): Promise<void> {
    if (this.leases.get(prefix)?.id !== id) return;
    const { clock, logger } = this.options;
    const sentAt = clock.monotonic();
    const result = await this.link.lease({ prefix, action: "renew", leaseId: id, reason: this.needs.reason(prefix) });
    const lease = this.leases.get(prefix);
    if (lease?.id !== id) return;
    if (result.ok && result.value.granted && result.value.ttlMs !== null) {
      this.hold(prefix, id, sentAt, result.value.ttlMs);
      return;
    }
    if (result.ok) {
      logger.warn({ prefix, why: result.value.message }, "withdraw lease renewal refused: announcing drained again");
      this.drop(prefix);
      await this.needs.reconcile(prefix);
      this.retryLater(prefix);
      return;
    }
    // The console is unreachable: try again soon; the expiry timer re-announces if it stays so.
    logger.warn({ prefix, error: result.message }, "could not renew the withdraw lease");
    lease.renewTimer = clock.setTimer(() => void this.renew(prefix, id), Math.max(100, (lease.deadline - clock.monotonic()) / 3));
  }

  private async expire(prefix: string, id: string): Promise<void> {
    if (this.leases.get(prefix)?.id !== id) return;
    this.options.logger.warn({ prefix, leaseId: id }, "withdraw lease expired: announcing drained again");
    this.drop(prefix);
    await this.needs.reconcile(prefix);
    this.retryLater(prefix);
  }
}
