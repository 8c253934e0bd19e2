import { existsSync } from "node:fs";
import type { Logger } from "pino";
import type { AgentReport, HealthCheckStatus, HealthState, MaintenanceStatus } from "@/lib/agent-protocol/schemas";
import type { AgentConfig, HealthCheckConfig, PrefixConfig } from "./config";
import type { ConsoleLink } from "./console-link";
import type { CheckResult } from "./health/checks";
import { effectiveIntent, type EffectiveIntent, type LocalFacts } from "./health/effective-intent";
import { startHealthMonitor } from "./health/monitor";
import { INITIAL_MACHINE, isChanging, isFailed, nextMachine, type CheckMachine } from "./health/state-machine";
import { createKeyedLock } from "./keyed-lock";
import { SpeakerError, type RouteIntent, type Speaker } from "./speakers/speaker";
import { initialAppliedState, routeIntent, type StateStore } from "./state-store";

type CheckRecord = { config: HealthCheckConfig; machine: CheckMachine; since: Date; checkedAt: Date | null; detail: string };
type Lease = { id: string; deadline: number; renewTimer?: NodeJS.Timeout; expiryTimer?: NodeJS.Timeout };
type HealthEventReport = AgentReport["events"][number];

export type LocalControlOptions = {
  logger: Logger;
  now?: () => Date;
  /** The console to report to and ask for leases; null: drain on failure, never withdraw. */
  link?: ConsoleLink | null;
  /** How often the maintenance file is looked for. */
  maintenanceFilePollMs?: number;
};

const REPORT_BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];
const MAX_PENDING_EVENTS = 1000;

const sameWire = (a: RouteIntent | undefined, b: RouteIntent) =>
  a !== undefined && a.state === b.state && a.prepend === b.prepend && a.communities.join(" ") === b.communities.join(" ");

/** The route for the speaker, without the agent's bookkeeping. */
const onWire = ({ state, prepend, communities }: EffectiveIntent): RouteIntent => ({ state, prepend, communities: [...communities] });

/** A check covers a prefix when either names no service, or both name the same one. */
export function covers(check: Pick<HealthCheckConfig, "service">, prefix: Pick<PrefixConfig, "service">): boolean {
  return check.service === undefined || prefix.service === undefined || check.service === prefix.service;
}

/**
 * What the agent decides on its own, beside the console's intent: health checks, maintenance
 * mode and withdraw leases, and what they put on the wire. Fail-soft by construction: a failed
 * check drains; only a lease held from the console (granted while the prefix's safety floor
 * holds) turns that into a withdraw, and the lease is given up early rather than late, by the
 * agent's own monotonic clock. Reports to the console only when something changes.
 */
export class LocalControl {
  readonly withPrefixLock = createKeyedLock();
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly link: ConsoleLink | null;
  private readonly checks = new Map<string, CheckRecord>();
  private readonly wire = new Map<string, EffectiveIntent>();
  private readonly leases = new Map<string, Lease>();
  private readonly acquiring = new Set<string>();
  private readonly leaseRetry = new Map<string, NodeJS.Timeout>();
  private readonly reconcileRetry = new Map<string, NodeJS.Timeout>();
  private maintenanceFile = false;
  private maintenanceFileSince: Date | null = null;
  private stopMonitor: (() => void) | null = null;
  private filePoll: NodeJS.Timeout | null = null;
  private stopped = false;
  // Reporting: one report in flight at a time; changes while it flies trigger another.
  private pendingEvents: HealthEventReport[] = [];
  private dirty = false;
  private reporting: Promise<void> | null = null;
  private reportTimer: NodeJS.Timeout | null = null;
  private reportFailures = 0;
  /** The last failure to reach the console, for the status; null once a report gets through. */
  consoleError: string | null = null;

  constructor(
    private readonly config: AgentConfig,
    private readonly speaker: Speaker,
    private readonly store: StateStore,
    options: LocalControlOptions,
  ) {
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.link = options.link ?? null;
    const startedAt = this.now();
    for (const check of config.healthChecks) this.checks.set(check.name, { config: check, machine: INITIAL_MACHINE, since: startedAt, checkedAt: null, detail: "not checked yet" });
    this.maintenanceFile = this.readMaintenanceFile();
    if (this.maintenanceFile) this.maintenanceFileSince = startedAt;
    this.filePollMs = options.maintenanceFilePollMs ?? 1000;
  }

  private readonly filePollMs: number;

  private entry(prefix: string): PrefixConfig {
    const entry = this.config.prefixes.find((candidate) => candidate.prefix === prefix);
    if (!entry) throw new Error(`prefix ${prefix} is not configured`);
    return entry;
  }

  /** What the console asked for (the state file), else the config's initial state. */
  requested(prefix: string): RouteIntent {
    const entry = this.entry(prefix);
    return routeIntent(this.store.get(prefix) ?? initialAppliedState(entry, this.now()));
  }

  private failedChecks(entry: PrefixConfig): CheckRecord[] {
    return [...this.checks.values()].filter((record) => isFailed(record.machine) && covers(record.config, entry));
  }

  private readMaintenanceFile(): boolean {
    return this.config.maintenanceFile !== undefined && existsSync(this.config.maintenanceFile);
  }

  maintenanceStatus(): MaintenanceStatus {
    const byApi = this.store.maintenance();
    const byFile = this.maintenanceFile;
    const since = [byApi ? new Date(byApi.since) : null, byFile ? this.maintenanceFileSince : null].filter((date): date is Date => date !== null);
    return {
      enabled: byApi !== null || byFile,
      byApi: byApi !== null,
      byFile,
      reason: byApi?.reason ?? (byFile ? `maintenance file ${this.config.maintenanceFile} exists` : null),
      since: since.length ? new Date(Math.min(...since.map((date) => date.getTime()))).toISOString() : null,
    };
  }

  facts(prefix: string): LocalFacts {
    const lease = this.leases.get(prefix);
    return {
      healthFailed: this.failedChecks(this.entry(prefix)).length > 0,
      maintenance: this.maintenanceStatus().enabled,
      leaseHeld: lease !== undefined && performance.now() < lease.deadline,
    };
  }

  effective(prefix: string, requested: RouteIntent = this.requested(prefix)): EffectiveIntent {
    return effectiveIntent(requested, this.facts(prefix), this.config.healthDrainPrepend);
  }

  /** Why the wire differs from the console's intent, in the operator's words; null when it does not. */
  overrideReason(prefix: string): string | null {
    const wire = this.wire.get(prefix) ?? this.effective(prefix);
    const failed = this.failedChecks(this.entry(prefix)).map((record) => record.config.name).join(", ");
    switch (wire.cause) {
      case "console":
        return null;
      case "health-drain":
        return `drained by the agent: health check ${failed} down${this.link ? "" : " (no console configured: it will never withdraw)"}`;
      case "lease-withdraw":
        return `withdrawn by the agent under a console lease: health check ${failed} down`;
      case "maintenance":
        return `drained by the agent: maintenance (${this.maintenanceStatus().reason ?? ""})`;
    }
  }

  /** Applies every prefix's effective state at start-up; throws on the first speaker failure. */
  async applyAtStart(): Promise<void> {
    for (const entry of this.config.prefixes) {
      const intent = this.effective(entry.prefix);
      await this.speaker.apply(entry.prefix, onWire(intent));
      this.wire.set(entry.prefix, intent);
    }
  }

  /** Starts the checks and the maintenance-file watch, and sends a first report if there is anything to say. */
  start(): void {
    this.stopMonitor = startHealthMonitor(this.config.healthChecks, (check, result) => this.onCheckResult(check, result));
    if (this.config.maintenanceFile !== undefined) {
      this.filePoll = setInterval(() => void this.pollMaintenanceFile(), this.filePollMs);
      this.filePoll.unref();
    }
    // A restarted agent tells the console its checks (all unknown again) and any maintenance.
    if (this.checks.size > 0 || this.maintenanceStatus().enabled) this.markDirty();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopMonitor?.();
    if (this.filePoll) clearInterval(this.filePoll);
    if (this.reportTimer) clearTimeout(this.reportTimer);
    for (const timer of [...this.leaseRetry.values(), ...this.reconcileRetry.values()]) clearTimeout(timer);
    for (const lease of this.leases.values()) {
      clearTimeout(lease.renewTimer);
      clearTimeout(lease.expiryTimer);
    }
    await this.reporting;
  }

  /**
   * The console's PUT, called under the prefix lock: puts `requested` on the wire as local
   * facts allow, and returns what went on the wire. Throws SpeakerError (previous state in force).
   */
  async applyRequested(prefix: string, requested: RouteIntent): Promise<EffectiveIntent> {
    const intent = this.effective(prefix, requested);
    await this.speaker.apply(prefix, onWire(intent));
    if (!sameWire(this.wire.get(prefix), intent)) this.markDirty();
    this.wire.set(prefix, intent);
    return intent;
  }

  /** After the console's intent changed (e.g. it withdrew the prefix itself): leases may no longer be needed. */
  afterRequested(prefix: string): void {
    void this.updateLease(prefix);
  }

  /** Puts a prefix's effective state on the wire if it is not there already. */
  private async reconcile(prefix: string): Promise<void> {
    await this.withPrefixLock(prefix, async () => {
      const intent = this.effective(prefix);
      if (sameWire(this.wire.get(prefix), intent)) return;
      try {
        await this.speaker.apply(prefix, onWire(intent));
      } catch (error) {
        this.logger.error({ err: error, prefix, state: intent.state }, "could not apply a local change; retrying in 1 s");
        if (!this.reconcileRetry.has(prefix) && !this.stopped) {
          this.reconcileRetry.set(
            prefix,
            setTimeout(() => {
              this.reconcileRetry.delete(prefix);
              void this.reconcile(prefix);
            }, 1000),
          );
        }
        if (!(error instanceof SpeakerError)) throw error;
        return;
      }
      this.wire.set(prefix, intent);
      this.logger.warn({ prefix, state: intent.state, prepend: intent.prepend, cause: intent.cause }, "local change applied");
      this.markDirty();
    });
  }

  private async reconcileAll(): Promise<void> {
    await Promise.all(this.config.prefixes.map((entry) => this.reconcile(entry.prefix)));
  }

  /** Records a check's result, reconciles what it changed, and says when to run it next. */
  async onCheckResult(check: HealthCheckConfig, result: CheckResult): Promise<{ nextInMs: number }> {
    const record = this.checks.get(check.name);
    if (!record || this.stopped) return { nextInMs: check.intervalMs };
    const before = record.machine;
    const after = nextMachine(before, result.ok, check);
    const at = this.now();
    record.machine = after;
    record.checkedAt = at;
    record.detail = result.detail;
    if (after.state !== before.state) {
      record.since = at;
      this.recordEvent({ check: check.name, from: before.state, to: after.state, at: at.toISOString(), detail: result.detail });
    }
    if (isFailed(after) !== isFailed(before)) {
      const affected = this.config.prefixes.filter((entry) => covers(check, entry));
      await Promise.all(affected.map((entry) => this.reconcile(entry.prefix)));
      await Promise.all(affected.map((entry) => this.updateLease(entry.prefix)));
    }
    return { nextInMs: isChanging(after) ? check.fastIntervalMs : check.intervalMs };
  }

  private recordEvent(event: HealthEventReport): void {
    this.logger.info({ check: event.check, from: event.from, to: event.to, detail: event.detail }, "health check state changed");
    this.pendingEvents.push(event);
    if (this.pendingEvents.length > MAX_PENDING_EVENTS) this.pendingEvents.splice(0, this.pendingEvents.length - MAX_PENDING_EVENTS);
    this.markDirty();
  }

  /** Maintenance by the API (persisted). Entering drains every prefix; leaving restores them. */
  async setMaintenance(enabled: boolean, reason: string | undefined): Promise<MaintenanceStatus> {
    const current = this.store.maintenance();
    if (enabled && (!current || current.reason !== (reason ?? current.reason))) {
      await this.store.setMaintenance({ reason: reason ?? "maintenance set through the agent API", since: current?.since ?? this.now().toISOString() });
    } else if (!enabled && current) {
      await this.store.setMaintenance(null);
    }
    this.markDirty();
    await this.reconcileAll();
    return this.maintenanceStatus();
  }

  private async pollMaintenanceFile(): Promise<void> {
    const present = this.readMaintenanceFile();
    if (present === this.maintenanceFile) return;
    this.maintenanceFile = present;
    this.maintenanceFileSince = present ? this.now() : null;
    this.logger.warn({ file: this.config.maintenanceFile, present }, present ? "maintenance file appeared: draining" : "maintenance file removed: restoring");
    this.markDirty();
    await this.reconcileAll();
  }

  // --- withdraw leases --------------------------------------------------------------

  private wantsLease(prefix: string): boolean {
    return this.link !== null && !this.stopped && this.facts(prefix).healthFailed && this.requested(prefix).state !== "withdrawn";
  }

  private leaseReason(prefix: string): string {
    const failed = this.failedChecks(this.entry(prefix));
    return `health check ${failed.map((record) => `${record.config.name} (${record.detail})`).join(", ") || "recovered"}`.slice(0, 500);
  }

  private async updateLease(prefix: string): Promise<void> {
    if (this.wantsLease(prefix)) {
      if (!this.leases.has(prefix) && !this.acquiring.has(prefix) && !this.leaseRetry.has(prefix)) await this.acquire(prefix);
      return;
    }
    const retry = this.leaseRetry.get(prefix);
    if (retry) {
      clearTimeout(retry);
      this.leaseRetry.delete(prefix);
    }
    const lease = this.leases.get(prefix);
    if (!lease) return;
    this.dropLease(prefix);
    // Announce again first, then give the lease back: the console must not count this PoP
    // as announcing before it is.
    await this.reconcile(prefix);
    if (this.link) {
      const released = await this.link.lease({ prefix, action: "release", leaseId: lease.id, reason: "health check recovered" });
      if (!released.ok) this.logger.warn({ prefix, error: released.message }, "could not release the withdraw lease; it will expire");
    }
  }

  private dropLease(prefix: string): void {
    const lease = this.leases.get(prefix);
    if (!lease) return;
    clearTimeout(lease.renewTimer);
    clearTimeout(lease.expiryTimer);
    this.leases.delete(prefix);
  }

  private retryLeaseLater(prefix: string): void {
    if (this.stopped || this.leaseRetry.has(prefix)) return;
    this.leaseRetry.set(
      prefix,
      setTimeout(() => {
        this.leaseRetry.delete(prefix);
        void this.updateLease(prefix);
      }, this.config.console?.leaseRetryMs ?? 10_000),
    );
  }

  /** The agent gives the lease up this early before the console's expiry, to be safe from clock and apply delays. */
  private static margin(ttlMs: number): number {
    return Math.min(2000, ttlMs / 4);
  }

  private async acquire(prefix: string): Promise<void> {
    if (!this.link) return;
    this.acquiring.add(prefix);
    const sentAt = performance.now();
    const result = await this.link.lease({ prefix, action: "acquire", reason: this.leaseReason(prefix) });
    this.acquiring.delete(prefix);
    const granted = result.ok && result.value.granted && result.value.leaseId !== null && result.value.ttlMs !== null;
    if (!this.wantsLease(prefix)) {
      if (granted && result.ok) await this.link.lease({ prefix, action: "release", leaseId: result.value.leaseId!, reason: "no longer needed" });
      return;
    }
    if (!granted || !result.ok) {
      const why = result.ok ? result.value.message : result.message;
      this.logger.warn({ prefix, why }, "withdraw lease not granted: staying drained");
      this.retryLeaseLater(prefix);
      return;
    }
    this.holdLease(prefix, result.value.leaseId!, sentAt, result.value.ttlMs!);
    this.logger.warn({ prefix, leaseId: result.value.leaseId, ttlMs: result.value.ttlMs }, "withdraw lease granted");
    await this.reconcile(prefix);
  }

  private holdLease(prefix: string, id: string, sentAt: number, ttlMs: number): void {
    const previous = this.leases.get(prefix);
    clearTimeout(previous?.renewTimer);
    clearTimeout(previous?.expiryTimer);
    const deadline = sentAt + ttlMs - LocalControl.margin(ttlMs);
    const lease: Lease = { id, deadline };
    lease.expiryTimer = setTimeout(() => void this.expire(prefix, id), Math.max(0, deadline - performance.now()));
    lease.renewTimer = setTimeout(() => void this.renew(prefix, id), Math.max(0, sentAt + ttlMs / 3 - performance.now()));
    this.leases.set(prefix, lease);
  }

  private async renew(prefix: string, id: string): Promise<void> {
    if (!this.link || this.leases.get(prefix)?.id !== id) return;
    const sentAt = performance.now();
    const result = await this.link.lease({ prefix, action: "renew", leaseId: id, reason: this.leaseReason(prefix) });
    const lease = this.leases.get(prefix);
    if (lease?.id !== id) return;
    if (result.ok && result.value.granted && result.value.ttlMs !== null) {
      this.holdLease(prefix, id, sentAt, result.value.ttlMs);
      return;
    }
    if (result.ok) {
      this.logger.warn({ prefix, why: result.value.message }, "withdraw lease renewal refused: announcing drained again");
      this.dropLease(prefix);
      await this.reconcile(prefix);
      this.retryLeaseLater(prefix);
      return;
    }
    // The console is unreachable: try again soon; the expiry timer re-announces if it stays so.
    this.logger.warn({ prefix, error: result.message }, "could not renew the withdraw lease");
    lease.renewTimer = setTimeout(() => void this.renew(prefix, id), Math.max(100, (lease.deadline - performance.now()) / 3));
  }

  private async expire(prefix: string, id: string): Promise<void> {
    if (this.leases.get(prefix)?.id !== id) return;
    this.logger.warn({ prefix, leaseId: id }, "withdraw lease expired: announcing drained again");
    this.dropLease(prefix);
    await this.reconcile(prefix);
    this.retryLeaseLater(prefix);
  }

  // --- reporting ------------------------------------------------------------------------

  healthStatus(): HealthCheckStatus[] {
    return [...this.checks.values()].map((record) => ({
      name: record.config.name,
      kind: record.config.kind,
      state: record.machine.state,
      since: record.since.toISOString(),
      detail: record.detail,
    }));
  }

  /** What is on the wire for a prefix (what was last applied), else what would be. */
  wireState(prefix: string): EffectiveIntent {
    return this.wire.get(prefix) ?? this.effective(prefix);
  }

  buildReport(): AgentReport {
    const maintenance = this.maintenanceStatus();
    return {
      sentAt: this.now().toISOString(),
      maintenance: { enabled: maintenance.enabled, reason: maintenance.reason?.slice(0, 500) ?? null, since: maintenance.since },
      checks: [...this.checks.values()].map((record) => ({
        name: record.config.name,
        kind: record.config.kind,
        service: record.config.service ?? null,
        target: record.config.target.slice(0, 500),
        intervalMs: record.config.intervalMs,
        timeoutMs: record.config.timeoutMs,
        rise: record.config.rise,
        fall: record.config.fall,
        state: record.machine.state,
        since: record.since.toISOString(),
        checkedAt: record.checkedAt?.toISOString() ?? null,
        detail: record.detail.slice(0, 1000),
      })),
      events: this.pendingEvents.map((event) => ({ ...event, detail: event.detail.slice(0, 1000) })),
      announcements: this.config.prefixes.map((entry) => {
        const wire = this.wireState(entry.prefix);
        return { prefix: entry.prefix, state: wire.state, prepend: wire.prepend, cause: wire.cause };
      }),
    };
  }

  private markDirty(): void {
    if (!this.link || this.stopped) return;
    this.dirty = true;
    // A new change goes out now, even while backing off from earlier failures: changes are
    // rare (state changes only), and the console must hear of a drain without waiting 30 s.
    if (this.reportTimer) {
      clearTimeout(this.reportTimer);
      this.reportTimer = null;
    }
    if (!this.reporting) this.reporting = this.sendReport();
  }

  private async sendReport(): Promise<void> {
    while (this.dirty && this.link && !this.stopped) {
      this.dirty = false;
      const report = this.buildReport();
      const sent = report.events.length;
      const result = await this.link.report(report);
      if (result.ok) {
        this.pendingEvents.splice(0, sent);
        this.reportFailures = 0;
        this.consoleError = null;
        continue;
      }
      this.consoleError = result.message;
      this.dirty = true;
      const delay = REPORT_BACKOFF_MS[Math.min(this.reportFailures, REPORT_BACKOFF_MS.length - 1)]!;
      this.reportFailures += 1;
      this.logger.warn({ error: result.message, retryInMs: delay }, "could not report to the console");
      this.reporting = null;
      this.reportTimer = setTimeout(() => {
        this.reportTimer = null;
        if (this.dirty) this.reporting = this.sendReport();
      }, delay);
      return;
    }
    this.reporting = null;
  }

  /** The health state of a check by name (tests, bench). */
  checkState(name: string): HealthState | undefined {
    return this.checks.get(name)?.machine.state;
  }
}
