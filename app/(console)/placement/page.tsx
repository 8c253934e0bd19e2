import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CapacityTable } from "@/components/placement/capacity-table";
import { PrefixChips } from "@/components/placement/prefix-chips";
import { NMinusOneTable } from "@/components/placement/n-minus-one-table";
import { InflationMap } from "@/components/placement/placement-maps";
import { QualityTables } from "@/components/placement/quality-tables";
import { RecommendationsPanel } from "@/components/placement/recommendations-panel";
import { ScenarioList } from "@/components/placement/scenario-list";
import { buttonClass } from "@/components/ui/button";
import { PageHeader, Panel } from "@/components/ui/panel";
import { inflationColumns } from "@/lib/domain/placement/map-columns";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { choosePrefix, getNMinusOne, getServiceQuality } from "@/lib/server/placement/get-placement-review";
import { loadPopPeaks } from "@/lib/server/placement/load-pop-peaks";
import { listScenarios } from "@/lib/server/placement/scenarios";

export const metadata: Metadata = { title: "Placement" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PlacementPage({ searchParams }: Props) {
  const user = await requireUser();
  const asked = (await searchParams).prefix;
  const { prefixes, prefix } = await choosePrefix(db, typeof asked === "string" ? asked : undefined).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const [quality, nMinusOne, peaks, scenarios] = await Promise.all([prefix ? getServiceQuality(db, prefix.id) : null, getNMinusOne(db), loadPopPeaks(db), listScenarios(db)]);
  const breaking = nMinusOne.filter((row) => row.breaks).length;
  return (
    <>
      <PageHeader
        title="Placement review"
        subtitle="Where users are badly served, what breaks if a PoP dies, and what a change of sites would do: estimates from the fleet's own measurements. Print it (to PDF) from the browser: the page prints on paper colours, without the controls."
      />
      <div className="grid gap-4">
        <Panel title="Service quality">
          <PrefixChips prefixes={prefixes} current={prefix?.id} hrefOf={(id) => `/placement?prefix=${id}`} />
          {quality ? (
            <div className="flex flex-col gap-4">
              <InflationMap columns={inflationColumns(quality.probes)} pops={quality.pops.map((pop) => ({ ...pop, tone: "announced" }))} />
              <QualityTables quality={quality} />
            </div>
          ) : (
            <p className="text-sm text-muted">No prefix yet.</p>
          )}
        </Panel>
        <Panel
          title="N-1 resilience"
          actions={
            <a href="/api/v1/placement/n-minus-one?format=csv" className={buttonClass("ghost")} data-print="hide">
              Export CSV
            </a>
          }
        >
          <p className="mb-3 text-sm text-muted">
            Each PoP lost at the peak of the last 7 days (every PoP at its own 7-day peak, which errs toward caution): where the catchment model sends its
            clients, and whether a receiver would pass the 85 % limit or a prefix its safety floor. {breaking ? `${breaking} of ${nMinusOne.length} losses would break a limit.` : "No single loss breaks a limit."} An estimate.
          </p>
          <NMinusOneTable rows={nMinusOne} />
        </Panel>
        <Panel title="Recommendations">
          {prefix ? <RecommendationsPanel prefix={{ id: prefix.id, cidr: prefix.cidr }} /> : <p className="text-sm text-muted">No prefix yet.</p>}
        </Panel>
        <Panel title="Capacity">
          <CapacityTable peaks={peaks} />
        </Panel>
        <Panel
          title="Scenarios"
          actions={
            roleAtLeast(user.role, "operator") && (
              <Link href="/placement/scenarios/new" className={buttonClass("secondary")}>
                New scenario
              </Link>
            )
          }
        >
          <ScenarioList scenarios={scenarios} />
        </Panel>
      </div>
    </>
  );
}
