import type { Metadata } from "next";
import Link from "next/link";
import { LiveTrafficChart } from "@/components/charts/live-traffic-chart";
import { refreshIntervalMs } from "@/lib/server/catchment/data-sources";
import { PopGrid, ShareBars } from "@/components/fleet/pop-grid";
import { Badge } from "@/components/ui/badge";
import { Empty, PageHeader, Panel, Stat } from "@/components/ui/panel";
import { ValidityBadge } from "@/components/ui/state-badges";
import { formatBps, formatPercent } from "@/lib/domain/format";
import { requireUser } from "@/lib/server/auth/require-user";
import { hasSimulatedProbes } from "@/lib/server/catchment/data-sources";
import { getFleetOverview } from "@/lib/server/fleet/get-fleet-overview";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requireUser();
  const [{ pops, prefixes, traffic, counts }, simulated] = await Promise.all([getFleetOverview(db), hasSimulatedProbes(db)]);
  const topShares = [...pops]
    .filter((pop) => pop.catchmentShare > 0)
    .sort((a, b) => b.catchmentShare - a.catchmentShare)
    .slice(0, 10)
    .map((pop) => ({ code: pop.code, share: pop.catchmentShare }));
  return (
    <>
      <PageHeader
        title="Fleet overview"
        subtitle={
          traffic.reporting
            ? `Traffic now ${formatBps(traffic.bps)} of ${formatBps(traffic.capacityBps)} capacity (${formatPercent(traffic.bps / traffic.capacityBps)}), from ${traffic.reporting} of ${counts.pops} PoPs.`
            : "No traffic samples in the last day."
        }
      />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Stat label="PoPs announcing" value={`${counts.announced}/${counts.pops}`} tone={counts.announced === counts.pops ? "ok" : "warn"} hint={`${counts.maintenance} in maintenance`} />
        <Stat label="Drained / withdrawn" value={`${counts.drained} / ${counts.withdrawn}`} tone={counts.drained + counts.withdrawn ? "warn" : "ok"} />
        <Stat
          label="RPKI problems"
          value={counts.rpkiProblems}
          tone={counts.rpkiInvalid ? "bad" : counts.rpkiProblems ? "warn" : "ok"}
          hint={
            <Link href="/rpki" className="hover:text-ink">
              prefixes not RPKI-valid: {counts.rpkiInvalid} invalid ({counts.rpkiInvalidAnnouncements} announcements), {counts.rpkiProblems - counts.rpkiInvalid} NotFound
            </Link>
          }
        />
        <Stat label="Below safety floor" value={counts.belowFloor} tone={counts.belowFloor ? "bad" : "ok"} hint="prefixes" />
        <Stat label="Agents stale / drift" value={`${counts.agentsDown} / ${counts.drift}`} tone={counts.agentsDown + counts.drift ? "warn" : "ok"} />
        <Stat label="PoPs over 85 %" value={counts.hot} tone={counts.hot ? "bad" : "ok"} hint="of capacity" />
      </div>

      <div className="mt-4 grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Panel title="PoPs by state" actions={<Link href="/pops" className="text-sm text-accent">All PoPs</Link>}>
          <PopGrid pops={pops.filter((pop) => pop.status !== "decommissioned")} />
        </Panel>
        <Panel
          title="Top catchment shares"
          actions={
            <span className="flex items-center gap-2">
              {simulated && <Badge tone="accent" title="The demo fleet's probes are simulated by the routing model">simulated</Badge>}
              <Link href="/catchment" className="text-sm text-accent">
                Over time
              </Link>
            </span>
          }
        >
          {topShares.length ? <ShareBars rows={topShares} /> : <Empty>No measurements yet.</Empty>}
        </Panel>
      </div>

      <div className="mt-4 grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Panel title="Fleet traffic vs capacity, 24 h">
          <LiveTrafficChart label="Fleet traffic against capacity over the last 24 hours" refreshMs={refreshIntervalMs()} />
        </Panel>
        <Panel title="Prefixes" actions={<Link href="/prefixes" className="text-sm text-accent">All prefixes</Link>}>
          <ul className="divide-y divide-line">
            {prefixes.map((prefix) => (
              <li key={prefix.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <Link href={`/prefixes/${prefix.id}`} className="font-mono hover:text-accent">
                  {prefix.cidr}
                </Link>
                <span className="text-xs text-muted">{prefix.service}</span>
                <span className={`font-mono text-sm ${prefix.announcing < prefix.safetyFloor ? "text-bad" : ""}`} title="PoPs announcing undrained / safety floor">
                  {prefix.announcing} PoPs · floor {prefix.safetyFloor}
                </span>
                <ValidityBadge validity={prefix.validation.validity} />
              </li>
            ))}
          </ul>
        </Panel>
      </div>
    </>
  );
}
