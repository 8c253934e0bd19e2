import "server-only";
import type { AgentReport } from "@/lib/agent-protocol/schemas";
import { canonicalCidr } from "@/lib/domain/cidr";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import type { AgentPop } from "./agent-route";

/**
 * Records what an agent reports on a change: each health check's state, the state changes
 * (HealthEvent rows, skipping any already recorded: a report is resent until acknowledged),
 * what is on the wire per prefix (observed state), maintenance mode, and one audit event.
 *
 * A report sent before the last one applied is stale and changes nothing. That happens when
 * the agent gave up waiting for an answer (a slow console) and sent a newer report, which
 * was applied first: the older one, applied after it, would put back a check's older state
 * (falling after down) until the next change. Nothing is lost: the agent keeps its events
 * until a report is acknowledged, so the newer report carried them too.
 */
export async function recordAgentReport(db: Db, pop: AgentPop, report: AgentReport, actor: Actor, ip: string | null): Promise<{ events: number }> {
  const sentAt = new Date(report.sentAt);
  return db.$transaction(
    async (tx) => {
      // One report of a PoP at a time, in the order they were sent.
      const [applied] = await tx.$queryRaw<{ reported_at: Date | null }[]>`
        SELECT "agent_reported_at" AS reported_at FROM "pop" WHERE "id" = ${pop.id} FOR UPDATE`;
      if (applied?.reported_at && applied.reported_at.getTime() > sentAt.getTime()) return { events: 0 };
      const now = new Date();
      const checks = new Map<string, number>();
      for (const check of report.checks) {
        const fields = {
          kind: check.kind,
          service: check.service ?? "",
          target: check.target,
          intervalMs: check.intervalMs,
          timeoutMs: check.timeoutMs,
          rise: check.rise,
          fall: check.fall,
          state: check.state,
          since: new Date(check.since),
          checkedAt: check.checkedAt ? new Date(check.checkedAt) : null,
          detail: check.detail,
        };
        const row = await tx.healthCheck.upsert({ where: { popId_name: { popId: pop.id, name: check.name } }, create: { popId: pop.id, name: check.name, ...fields }, update: fields, select: { id: true } });
        checks.set(check.name, row.id);
      }
      // Checks the agent no longer runs are gone from its config.
      await tx.healthCheck.deleteMany({ where: { popId: pop.id, name: { notIn: report.checks.map((check) => check.name) } } });

      const latest = new Map(
        (await tx.healthEvent.groupBy({ by: ["healthCheckId"], where: { popId: pop.id }, _max: { at: true } })).map((row) => [row.healthCheckId, row._max.at?.getTime() ?? 0]),
      );
      const events = report.events.flatMap((event) => {
        const healthCheckId = checks.get(event.check);
        const at = new Date(event.at);
        if (healthCheckId === undefined || at.getTime() <= (latest.get(healthCheckId) ?? 0)) return [];
        return [{ healthCheckId, popId: pop.id, fromState: event.from, toState: event.to, at, detail: event.detail }];
      });
      if (events.length > 0) await tx.healthEvent.createMany({ data: events });

      const announcements = await tx.announcement.findMany({ where: { popId: pop.id }, select: { id: true, prefix: { select: { cidr: true } } } });
      const byCidr = new Map(announcements.map((a) => [a.prefix.cidr, a.id]));
      for (const wire of report.announcements) {
        const id = byCidr.get(canonicalCidr(wire.prefix) ?? wire.prefix);
        if (id === undefined) continue;
        // As the poller does: an observation newer than this report wins.
        await tx.announcement.updateMany({
          where: { id, OR: [{ observedAt: null }, { observedAt: { lt: sentAt } }] },
          data: { observedState: wire.state, observedPrepend: wire.prepend, observedAt: sentAt },
        });
      }

      const before = await tx.pop.findUniqueOrThrow({ where: { id: pop.id }, select: { agentMaintenance: true } });
      await tx.pop.update({
        where: { id: pop.id },
        data: {
          agentSeenAt: now,
          agentReportedAt: sentAt,
          agentMaintenance: report.maintenance.enabled,
          agentMaintenanceReason: report.maintenance.enabled ? report.maintenance.reason : null,
          agentMaintenanceSince: report.maintenance.enabled && report.maintenance.since ? new Date(report.maintenance.since) : null,
        },
      });
      await recordAudit(tx, actor, {
        action: "agent.health_report",
        target: { type: "pop", id: pop.code },
        popId: pop.id,
        ip,
        detail: {
          events: events.map((event) => ({ check: report.events.find((e) => checks.get(e.check) === event.healthCheckId)?.check ?? null, from: event.fromState, to: event.toState, at: event.at.toISOString(), detail: event.detail })),
          maintenance: report.maintenance.enabled !== before.agentMaintenance ? { enabled: report.maintenance.enabled, reason: report.maintenance.reason } : undefined,
          overrides: report.announcements.filter((wire) => wire.cause !== "console").map((wire) => ({ prefix: wire.prefix, state: wire.state, prepend: wire.prepend, cause: wire.cause })),
        },
      });
      return { events: events.length };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}
