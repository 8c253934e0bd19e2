import "server-only";
import type { Db, Tx } from "../db/create-client";
import { popHistory } from "./delete-pop";

/** A PoP as the edit form shows it. The agent secret itself never leaves the server. */
export async function getPopForEdit(db: Db | Tx, code: string) {
  const pop = await db.pop.findUnique({
    where: { code: code.toUpperCase() },
    omit: { agentSecret: false },
    include: { upstreams: { orderBy: { id: "asc" } } },
  });
  if (!pop) return null;
  const history = await popHistory(db, pop.id);
  return {
    code: pop.code,
    name: pop.name,
    city: pop.city,
    country: pop.country,
    latitude: pop.latitude,
    longitude: pop.longitude,
    region: pop.region,
    capacityGbps: pop.capacityGbps,
    status: pop.status,
    agentUrl: pop.agentUrl ?? "",
    identities: pop.identities.join(", "),
    hasAgentSecret: Boolean(pop.agentSecret),
    upstreams: pop.upstreams.map((u) => ({ id: u.id, name: u.name, kind: u.kind, peerAsn: String(u.peerAsn), peerAddress: u.peerAddress })),
    /** Why it cannot be deleted (empty: it never announced anything, so it can). */
    history,
  };
}
