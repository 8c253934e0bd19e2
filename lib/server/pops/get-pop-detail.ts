import "server-only";
import { hasDrift } from "@/lib/domain/pop-state";
import { getCurrentCatchment } from "../catchment/get-current-catchment";
import { db } from "../db/client";
import { getPrefixValidity } from "../rpki/get-prefix-validity";
import { getLatestTraffic } from "../traffic/get-traffic";

/** A PoP by code with its upstreams, announcements (and their RPKI validity), traffic and catchment. */
export async function getPopDetail(code: string) {
  const pop = await db.pop.findUnique({
    where: { code: code.toUpperCase() },
    include: {
      upstreams: { orderBy: { name: "asc" } },
      announcements: { include: { prefix: true }, orderBy: { prefix: { cidr: "asc" } } },
      healthChecks: { orderBy: { name: "asc" } },
    },
  });
  if (!pop) return null;
  const [traffic, catchment, validity, audit] = await Promise.all([
    getLatestTraffic(),
    getCurrentCatchment(),
    getPrefixValidity(),
    db.auditEvent.findMany({ where: { popId: pop.id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 10 }),
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
    upstreams: pop.upstreams.map((upstream) => ({ ...upstream, peerAsn: Number(upstream.peerAsn) })),
    announcements: pop.announcements.map((announcement) => ({
      ...announcement,
      prefix: { ...announcement.prefix, originAsn: Number(announcement.prefix.originAsn) },
      drift: hasDrift(announcement),
      validity: validity.get(announcement.prefixId)!.validity,
      covering: validity.get(announcement.prefixId)!.covering.map((vrp) => `${vrp.roa.prefix}-${vrp.maxLength} AS${vrp.asn}`),
      catchment: probesByPrefix.get(announcement.prefixId) ?? { here: 0, total: 0 },
    })),
    healthChecks: pop.healthChecks,
    latestTraffic: traffic.get(pop.id) ?? null,
    audit,
  };
}
