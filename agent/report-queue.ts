// The agent's reports to the console: sent when something changes (a check's state, what is on
// the wire, maintenance), one at a time, the newest state each time; health events queue until
// a report carrying them gets through. An unreachable console is retried with backoff, but a
// new change goes out at once: the console must hear of a drain without waiting 30 s.
import type { Logger } from "pino";
import type { AgentReport } from "@/lib/agent-protocol/schemas";
import type { Clock, Timer } from "./clock";
import type { ConsoleLink } from "./console-link";

export type HealthEventReport = AgentReport["events"][number];

export const REPORT_BACKOFF_MS = [500, 1000, 2000, 5000, 10_000, 30_000];
/** Events kept while the console is unreachable; the oldest go first. */
export const MAX_PENDING_EVENTS = 1000;

export class ReportQueue {
  private pendingEvents: HealthEventReport[] = [];
  private dirty = false;
  private reporting: Promise<void> | null = null;
  private retryTimer: Timer | null = null;
  private failures = 0;
  private stopped = false;
  /** The last failure to reach the console, for the status; null once a report gets through. */
  consoleError: string | null = null;

  constructor(
    private readonly link: ConsoleLink,
    /** The report to send now, carrying `events`. */
    private readonly build: (events: readonly HealthEventReport[]) => AgentReport,
    private readonly options: { logger: Logger; clock: Clock },
  ) {}

  /** Queues a health event and reports. */
  event(event: HealthEventReport): void {
    this.pendingEvents.push(event);
    if (this.pendingEvents.length > MAX_PENDING_EVENTS) this.pendingEvents.splice(0, this.pendingEvents.length - MAX_PENDING_EVENTS);
    this.changed();
  }

  /** Something the console should know changed: a report goes out now (or after the one in flight). */
  changed(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.retryTimer) {
      this.options.clock.clearTimer(this.retryTimer);
      this.retryTimer = null;
    }
    if (!this.reporting) this.reporting = this.send();
  }

  /** Stops retrying; resolves once a report in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.options.clock.clearTimer(this.retryTimer);
    await this.reporting;
  }

  private async send(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      const report = this.build(this.pendingEvents);
      const sent = report.events.length;
      const result = await this.link.report(report);
      if (result.ok) {
        this.pendingEvents.splice(0, sent);
        this.failures = 0;
        this.consoleError = null;
        continue;
      }
      this.consoleError = result.message;
      this.dirty = true;
      const delay = REPORT_BACKOFF_MS[Math.min(this.failures, REPORT_BACKOFF_MS.length - 1)]!;
      this.failures += 1;
      this.options.logger.warn({ error: result.message, retryInMs: delay }, "could not report to the console");
      this.reporting = null;
      this.retryTimer = this.options.clock.setTimer(() => {
        this.retryTimer = null;
        if (this.dirty && !this.stopped) this.reporting = this.send();
      }, delay);
      return;
    }
    this.reporting = null;
  }
}
