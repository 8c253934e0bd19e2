import "server-only";
import type { Db, Tx } from "../db/create-client";
import { popAnnouncementState, hasDrift, type PopAnnouncementState } from "@/lib/domain/pop-state";
import type { AgentHealth, PopStatus, Region } from "@/lib/generated/prisma/enums";
import { getCurrentCatchment, sharesByPop } from "../catchment/get-current-catchment";
import { getLatestTraffic } from "../traffic/get-traffic";

export type PopRow = {
  id: number;
  code: string;
  name: string;
  city: string;
  country: string;
  region: Region;
  latitude: number;
  longitude: number;
  status: PopStatus;
  capacityGbps: number;
  announcementState: PopAnnouncementState;
  drift: boolean;
  agentHealth: AgentHealth;
  upstreamsUp: number;
  upstreams: number;
  trafficBps: number | null;
  utilisation: number | null;
  catchmentShare: number;
};

/** Every PoP with what an operator scans a list for: state, capacity use, catchment share, agent. */
export async function listPops(db: Db | Tx): Promise<PopRow[]> {
  const [pops, traffic, catchment] = await Promise.all([
    db.pop.findMany({
      orderBy: { code: "asc" },
      include: {
        announcements: { select: { desiredState: true, observedState: true } },
        upstreams: { select: { state: true } },
      },
    }),
    getLatestTraffic(db),
    getCurrentCatchment(db),
  ]);
  const shares = sharesByPop(catchment);
  return pops.map((pop) => {
    const bps = traffic.get(pop.id)?.bps ?? null;
    return {
      id: pop.id,
      code: pop.code,
      name: pop.name,
      city: pop.city,
      country: pop.country,
      region: pop.region,
      latitude: pop.latitude,
      longitude: pop.longitude,
      status: pop.status,
      capacityGbps: pop.capacityGbps,
      announcementState: popAnnouncementState(pop.announcements),
      drift: pop.announcements.some(hasDrift),
      agentHealth: pop.agentHealth,
      upstreamsUp: pop.upstreams.filter((upstream) => upstream.state === "established").length,
      upstreams: pop.upstreams.length,
      trafficBps: bps,
      utilisation: bps === null || pop.capacityGbps === 0 ? null : bps / (pop.capacityGbps * 1e9),
      catchmentShare: shares.get(pop.id) ?? 0,
    };
  });
}
