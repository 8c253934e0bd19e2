import { describe, expect, it } from "vitest";
import type { AgentReport } from "@/lib/agent-protocol/schemas";
import type { ConsoleLink } from "./console-link";
import { MAX_PENDING_EVENTS, REPORT_BACKOFF_MS, ReportQueue, type HealthEventReport } from "./report-queue";
import { fakeClock, silentLogger } from "./test-helpers";

const report = (events: readonly HealthEventReport[]): AgentReport => ({ sentAt: "2026-12-05T12:00:00.000Z", maintenance: { enabled: false, reason: null, since: null }, checks: [], events: [...events], announcements: [] });
const event = (n: number): HealthEventReport => ({ check: "dns", from: "up", to: "down", at: `2026-12-05T12:00:${String(n % 60).padStart(2, "0")}.000Z`, detail: `event ${n}` });

function queue(reachable: { value: boolean }) {
  const time = fakeClock();
  const sent: AgentReport[] = [];
  const link: ConsoleLink = {
    report: async (body) => {
      sent.push(body);
      return reachable.value ? { ok: true, value: { events: body.events.length } } : { ok: false, message: "console unreachable" };
    },
    lease: async () => ({ ok: false, message: "not here" }),
  };
  return { reports: new ReportQueue(link, report, { logger: silentLogger(), clock: time.clock }), sent, time };
}

describe("ReportQueue", () => {
  it("sends a change at once, and each event until a report carrying it gets through", async () => {
    const reachable = { value: false };
    const { reports, sent, time } = queue(reachable);
    reports.event(event(1));
    await time.advance(0);
    expect(sent).toHaveLength(1);
    expect(reports.consoleError).toBe("console unreachable");
    // Backing off: nothing more until the first delay has passed.
    await time.advance(REPORT_BACKOFF_MS[0]! - 1);
    expect(sent).toHaveLength(1);
    reachable.value = true;
    await time.advance(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.events.map((e) => e.detail)).toEqual(["event 1"]);
    expect(reports.consoleError).toBeNull();
    // Delivered: the next report carries no old events.
    reports.changed();
    await time.advance(0);
    expect(sent[2]!.events).toEqual([]);
    await reports.stop();
  });

  it("backs off longer after each failure, but a new change goes out at once", async () => {
    const { reports, sent, time } = queue({ value: false });
    reports.changed();
    await time.advance(0);
    await time.advance(REPORT_BACKOFF_MS[0]!);
    await time.advance(REPORT_BACKOFF_MS[1]!);
    expect(sent).toHaveLength(3);
    reports.changed();
    await time.advance(0);
    expect(sent).toHaveLength(4);
    await reports.stop();
    await time.advance(60_000);
    expect(sent).toHaveLength(4);
  });

  it("keeps the newest events when the console stays away", async () => {
    const { reports, sent, time } = queue({ value: false });
    for (let n = 0; n < MAX_PENDING_EVENTS + 5; n++) reports.event(event(n));
    await time.advance(REPORT_BACKOFF_MS.at(-1)!);
    const last = sent.at(-1)!;
    expect(last.events).toHaveLength(MAX_PENDING_EVENTS);
    expect(last.events[0]!.detail).toBe("event 5");
    await reports.stop();
  });
});
