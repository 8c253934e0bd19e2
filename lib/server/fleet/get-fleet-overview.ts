import "server-only";
import type { Db, Tx } from "../db/create-client";
import { isRpkiProblem } from "@/lib/domain/rpki";
import { listPops } from "../pops/list-pops";
import { listPrefixes } from "../prefixes/list-prefixes";

/** Everything the overview shows, read in parallel. */
export async function getFleetOverview(db: Db | Tx) {
  const [pops, prefixes] = await Promise.all([listPops(db), listPrefixes(db)]);
  const live = pops.filter((pop) => pop.status !== "decommissioned");
  const invalid = prefixes.filter((prefix) => prefix.validation.validity === "invalid_asn" || prefix.validation.validity === "invalid_length");
  return {
    pops,
    prefixes,
    traffic: {
      bps: live.reduce((sum, pop) => sum + (pop.trafficBps ?? 0), 0),
      capacityBps: live.reduce((sum, pop) => sum + pop.capacityGbps * 1e9, 0),
      reporting: live.filter((pop) => pop.trafficBps !== null).length,
    },
    counts: {
      pops: live.length,
      announced: live.filter((pop) => pop.announcementState === "announced").length,
      drained: live.filter((pop) => pop.announcementState === "drained" || pop.announcementState === "mixed").length,
      withdrawn: live.filter((pop) => pop.announcementState === "withdrawn").length,
      maintenance: live.filter((pop) => pop.status === "maintenance").length,
      drift: live.filter((pop) => pop.drift).length,
      agentsDown: live.filter((pop) => pop.agentHealth === "stale" || pop.agentHealth === "unreachable").length,
      rpkiProblems: prefixes.filter((prefix) => isRpkiProblem(prefix.validation.validity)).length,
      rpkiInvalid: invalid.length,
      /** Routes in the table (announced or drained) whose origin is RPKI-invalid. */
      rpkiInvalidAnnouncements: invalid.reduce((sum, prefix) => sum + prefix.announcing + prefix.drained, 0),
      belowFloor: prefixes.filter((prefix) => prefix.announcing < prefix.safetyFloor).length,
      hot: live.filter((pop) => (pop.utilisation ?? 0) > 0.85).length,
    },
  };
}
