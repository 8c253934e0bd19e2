import { existsSync } from "node:fs";
import type { Logger } from "pino";
import type { AgentReport, HealthCheckStatus, HealthState, MaintenanceStatus } from "@/lib/agent-protocol/schemas";
import { systemClock, type Clock, type Timer } from "./clock";
import type { AgentConfig, HealthCheckConfig, PrefixConfig } from "./config";
import type { ConsoleLink } from "./console-link";
import type { CheckResult } from "./health/checks";
import { effectiveIntent, type EffectiveIntent, type LocalFacts } from "./health/effective-intent";
import { startHealthMonitor } from "./health/monitor";
import { INITIAL_MACHINE, isChanging, isFailed, nextMachine, type CheckMachine } from "./health/state-machine";
import { createKeyedLock } from "./keyed-lock";
import { LeaseKeeper } from "./lease-keeper";
import { ReportQueue, type HealthEventReport } from "./report-queue";
import { sameRoute, SpeakerError, type RouteIntent, type Speaker } from "./speakers/speaker";
import { initialAppliedState, routeIntent, type StateStore } from "./state-store";

type CheckRecord = { config: HealthCheckConfig; machine: CheckMachine; since: Date; checkedAt: Date | null; detail: string };

export type LocalControlOptions = {
  logger: Logger;
  /** The wall clock, the monotonic clock and the timers (a fake one in tests). */
  clock?: Clock;
  /** The console to report to and ask for leases; null: drain on failure, never withdraw. */
  link?: ConsoleLink | null;
  /** How often the maintenance file is looked for. */
  maintenanceFilePollMs?: number;
};

const sameWire = (a: RouteIntent | undefined, b: RouteIntent) => a !== undefined && sameRoute(a, b);

/** The route for the speaker, without the agent's bookkeeping. */
const onWire = ({ state, prepend, communities }: EffectiveIntent): RouteIntent => ({ state, prepend, communities: [...communities] });

/** A check covers a prefix when either names no service, or both name the same one. */
export function covers(check: Pick<HealthCheckConfig, "service">, prefix: Pick<PrefixConfig, "service">): boolean {
  return check.service === undefined || prefix.service === undefined || check.service === prefix.service;
}

/**
 * What the agent decides on its own, beside the console's intent: health checks, maintenance
 * mode and withdraw leases, and what they put on the wire. Fail-soft by construction: a failed
 * check drains; only a lease held from the console (lease-keeper.ts) turns that into a withdraw.
 * Reports to the console when something changes (report-queue.ts).
 */
export class LocalControl {
  readonly withPrefixLock = createKeyedLock();
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly link: ConsoleLink | null;
  private readonly checks = new Map<string, CheckRecord>();
  private readonly wire = new Map<string, EffectiveIntent>();
  private readonly reconcileRetry = new Map<string, Timer>();
  private maintenanceFile = false;
  private maintenanceFileSince: Date | null = null;
  private stopMonitor: (() => void) | null = null;
  private readonly filePollMs: number;
  private filePoll: Timer | null = null;
  private stopped = false;
  private readonly clock: Clock;
  /** Null without a console: then a failed check drains and never withdraws, and nothing is reported. */
  private readonly leases: LeaseKeeper | null;
  private readonly reports: ReportQueue | null;

  constructor(
    private readonly config: AgentConfig,
    private readonly speaker: Speaker,
    private readonly store: StateStore,
    options: LocalControlOptions,
  ) {
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.now = () => this.clock.now();
    this.link = options.link ?? null;
    this.leases = this.link
      ? new LeaseKeeper(
          this.link,
          {
            wants: (prefix) => this.facts(prefix).healthFailed && this.requested(prefix).state !== "withdrawn",
            reason: (prefix) => this.leaseReason(prefix),
            reconcile: (prefix) => this.reconcile(prefix),
          },
          { logger: this.logger, clock: this.clock, retryMs: config.console?.leaseRetryMs ?? 10_000 },
        )
      : null;
    this.reports = this.link ? new ReportQueue(this.link, (events) => this.buildReport(events), { logger: this.logger, clock: this.clock }) : null;
    const startedAt = this.now();
    for (const check of config.healthChecks) this.checks.set(check.name, { config: check, machine: INITIAL_MACHINE, since: startedAt, checkedAt: null, detail: "not checked yet" });
    this.maintenanceFile = this.readMaintenanceFile();
    if (this.maintenanceFile) this.maintenanceFileSince = startedAt;
    this.filePollMs = options.maintenanceFilePollMs ?? 1000;
  }

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
    return {
      healthFailed: this.failedChecks(this.entry(prefix)).length > 0,
      maintenance: this.maintenanceStatus().enabled,
      leaseHeld: this.leases?.held(prefix) ?? false,
    };
  }

  /** The last failure to reach the console, for the status; null once a report gets through. */
  get consoleError(): string | null {
    return this.reports?.consoleError ?? null;
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
    if (this.config.maintenanceFile !== undefined) this.scheduleFilePoll();
    // A restarted agent tells the console its checks (all unknown again) and any maintenance.
    if (this.checks.size > 0 || this.maintenanceStatus().enabled) this.markDirty();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopMonitor?.();
    this.clock.clearTimer(this.filePoll);
    for (const timer of this.reconcileRetry.values()) this.clock.clearTimer(timer);
    this.leases?.stop();
    await this.reports?.stop();
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
    void this.leases?.update(prefix);
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
            this.clock.setTimer(() => {
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
      await Promise.all(affected.map((entry) => this.leases?.update(entry.prefix)));
    }
    return { nextInMs: isChanging(after) ? check.fastIntervalMs : check.intervalMs };
  }

  private recordEvent(event: HealthEventReport): void {
    this.logger.info({ check: event.check, from: event.from, to: event.to, detail: event.detail }, "health check state changed");
    if (!this.stopped) this.reports?.event(event);
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

  /** Looks for the maintenance file every filePollMs, on the agent's clock, until stopped. */
  private scheduleFilePoll(): void {
    this.filePoll = this.clock.setTimer(() => {
      if (this.stopped) return;
      this.scheduleFilePoll();
      void this.pollMaintenanceFile();
    }, this.filePollMs);
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

  private leaseReason(prefix: string): string {
    const failed = this.failedChecks(this.entry(prefix));
    return `health check ${failed.map((record) => `${record.config.name} (${record.detail})`).join(", ") || "recovered"}`.slice(0, 500);
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

  buildReport(events: readonly HealthEventReport[] = []): AgentReport {
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
      events: events.map((event) => ({ ...event, detail: event.detail.slice(0, 1000) })),
      announcements: this.config.prefixes.map((entry) => {
        const wire = this.wireState(entry.prefix);
        return { prefix: entry.prefix, state: wire.state, prepend: wire.prepend, cause: wire.cause };
      }),
    };
  }

  private markDirty(): void {
    if (!this.stopped) this.reports?.changed();
  }

  /** The health state of a check by name (tests, bench). */
  checkState(name: string): HealthState | undefined {
    return this.checks.get(name)?.machine.state;
  }
}
