import type { Metadata } from "next";
import Link from "next/link";
import { CapacityTable } from "@/components/placement/capacity-table";
import { ScenarioList } from "@/components/placement/scenario-list";
import { buttonClass } from "@/components/ui/button";
import { PageHeader, Panel } from "@/components/ui/panel";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { loadPopPeaks } from "@/lib/server/placement/load-pop-peaks";
import { listScenarios } from "@/lib/server/placement/scenarios";

export const metadata: Metadata = { title: "Placement" };

export default async function PlacementPage() {
  const user = await requireUser();
  const [peaks, scenarios] = await Promise.all([loadPopPeaks(db), listScenarios(db)]);
  return (
    <>
      <PageHeader title="Placement review" subtitle="Where users are badly served, what breaks if a PoP dies, and what a change of sites would do: estimates from the fleet's own measurements." />
      <div className="grid gap-4">
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
