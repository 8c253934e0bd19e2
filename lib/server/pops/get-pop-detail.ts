import "server-only";
import type { Db, Tx } from "../db/create-client";
import { z } from "zod";
import { exportedRouteSchema, type ExportedRoute } from "@/lib/agent-protocol/schemas";
import { hasDrift } from "@/lib/domain/pop-state";
import { getCurrentCatchment } from "../catchment/get-current-catchment";
import { getPrefixValidity } from "../rpki/get-prefix-validity";
import { getLatestTraffic } from "../traffic/get-traffic";

/** The exports an agent reported for a session, or null when it did not (or wrote something else). */
function exportsOf(stored: unknown): ExportedRoute[] | null {
  const parsed = z.array(exportedRouteSchema).safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/** A PoP by code with its upstreams, announcements (and their RPKI validity), traffic and catchment. */
export async function getPopDetail(db: Db | Tx, code: string) {
  const pop = await db.pop.findUnique({
    where: { code: code.toUpperCase() },
    include: {
      upstreams: { orderBy: { name: "asc" } },
      announcements: { include: { prefix: true }, orderBy: { prefix: { cidr: "asc" } } },
      healthChecks: { orderBy: { name: "asc" } },
    },
  });
  if (!pop) return null;
  const [traffic, catchment, validity, audit, healthEvents, leases] = await Promise.all([
    getLatestTraffic(db),
    getCurrentCatchment(db),
    getPrefixValidity(db),
    db.auditEvent.findMany({ where: { popId: pop.id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 10 }),
    db.healthEvent.findMany({ where: { popId: pop.id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 15, include: { healthCheck: { select: { name: true } } } }),
    db.withdrawLease.findMany({ where: { popId: pop.id, releasedAt: null, expiresAt: { gt: new Date() } }, include: { prefix: { select: { cidr: true } } }, orderBy: { grantedAt: "desc" } }),
  ]);
  const probesByPrefix = new Map<number, { here: number; total: number }>();
  for (const row of catchment) {
    const entry = probesByPrefix.get(row.prefixId) ?? { here: 0, total: 0 };
    entry.total += row.probes;
    if (row.popId === pop.id) entry.here += row.probes;
    probesByPrefix.set(row.prefixId, entry);
  }
  return {
    pop,
    upstreams: pop.upstreams.map((upstream) => ({ ...upstream, peerAsn: Number(upstream.peerAsn), exports: exportsOf(upstream.exports) })),
    announcements: pop.announcements.map((announcement) => ({
      ...announcement,
      prefix: { ...announcement.prefix, originAsn: Number(announcement.prefix.originAsn) },
      drift: hasDrift(announcement),
      validity: validity.get(announcement.prefixId)!.validity,
      covering: validity.get(announcement.prefixId)!.covering.map((vrp) => `${vrp.roa.prefix}-${vrp.maxLength} AS${vrp.asn}`),
      catchment: probesByPrefix.get(announcement.prefixId) ?? { here: 0, total: 0 },
    })),
    healthChecks: pop.healthChecks,
    healthEvents: healthEvents.map((event) => ({ id: String(event.id), check: event.healthCheck.name, from: event.fromState, to: event.toState, at: event.at, detail: event.detail })),
    /** Withdraw leases this PoP's agent holds now (a failed check, with the floor's consent). */
    leases: leases.map((lease) => ({ id: lease.id, cidr: lease.prefix.cidr, grantedAt: lease.grantedAt, expiresAt: lease.expiresAt })),
    latestTraffic: traffic.get(pop.id) ?? null,
    audit,
  };
}
