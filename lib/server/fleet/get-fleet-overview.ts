import "server-only";
import { isRpkiProblem } from "@/lib/domain/rpki";
import { listPops } from "../pops/list-pops";
import { listPrefixes } from "../prefixes/list-prefixes";
import { getTrafficSeries } from "../traffic/get-traffic";

/** Everything the overview shows, read in parallel. */
export async function getFleetOverview() {
  const [pops, prefixes, traffic] = await Promise.all([listPops(), listPrefixes(), getTrafficSeries({ hours: 24 })]);
  const live = pops.filter((pop) => pop.status !== "decommissioned");
  return {
    pops,
    prefixes,
    traffic,
    counts: {
      pops: live.length,
      announced: live.filter((pop) => pop.announcementState === "announced").length,
      drained: live.filter((pop) => pop.announcementState === "drained" || pop.announcementState === "mixed").length,
      withdrawn: live.filter((pop) => pop.announcementState === "withdrawn").length,
      maintenance: live.filter((pop) => pop.status === "maintenance").length,
      drift: live.filter((pop) => pop.drift).length,
      agentsDown: live.filter((pop) => pop.agentHealth === "stale" || pop.agentHealth === "unreachable").length,
      rpkiProblems: prefixes.filter((prefix) => isRpkiProblem(prefix.validation.validity)).length,
      belowFloor: prefixes.filter((prefix) => prefix.announcing < prefix.safetyFloor).length,
      hot: live.filter((pop) => (pop.utilisation ?? 0) > 0.85).length,
    },
  };
}
