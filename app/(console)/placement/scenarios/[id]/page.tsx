import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ScenarioCatchmentMap, type PlacementMapPop } from "@/components/placement/placement-maps";
import { NMinusOneTable } from "@/components/placement/n-minus-one-table";
import { PrefixChips } from "@/components/placement/prefix-chips";
import { ScenarioResultView } from "@/components/placement/scenario-result";
import { buttonClass } from "@/components/ui/button";
import { PageHeader, Panel } from "@/components/ui/panel";
import { formatUtc } from "@/lib/domain/format";
import { catchmentColumns } from "@/lib/domain/placement/map-columns";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { choosePrefix, getScenarioResult } from "@/lib/server/placement/get-placement-review";
import { getScenario } from "@/lib/server/placement/scenarios";

export const metadata: Metadata = { title: "Placement scenario" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ScenarioPage({ params, searchParams }: Props) {
  const user = await requireUser();
  const { id } = await params;
  const asked = (await searchParams).prefix;
  const notFoundIfMissing = (error: unknown): never => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  };
  const [scenario, { prefixes, prefix }] = await Promise.all([getScenario(db, id).catch(notFoundIfMissing), choosePrefix(db, typeof asked === "string" ? asked : undefined).catch(notFoundIfMissing)]);
  const [result, fleet] = await Promise.all([
    prefix ? getScenarioResult(db, scenario.definition, prefix.id) : null,
    db.pop.findMany({ where: { status: { not: "decommissioned" } }, select: { id: true, code: true, latitude: true, longitude: true }, orderBy: { code: "asc" } }),
  ]);
  const { removed, added, prepends } = scenario.definition;
  // The map's markers: the fleet as the scenario leaves it, and its candidates (ids -1, -2, ... as in the result).
  const mapPops: PlacementMapPop[] = [
    ...fleet.map((pop): PlacementMapPop => ({
      id: pop.id,
      code: pop.code,
      lat: pop.latitude,
      lon: pop.longitude,
      tone: removed.includes(pop.code) ? "withdrawn" : prepends.some((p) => p.pop === pop.code && p.prepends > 0) ? "drained" : "announced",
    })),
    ...added.map((pop, index): PlacementMapPop => ({ id: -(index + 1), code: pop.city, lat: pop.latitude, lon: pop.longitude, tone: "candidate" })),
  ];
  return (
    <>
      <PageHeader
        title={scenario.name}
        subtitle={`By ${scenario.authorName}, created ${formatUtc(scenario.createdAt)}, changed ${formatUtc(scenario.updatedAt)}.`}
        actions={
          <>
            <Link href="/placement" className={buttonClass("ghost")}>
              All scenarios
            </Link>
            {roleAtLeast(user.role, "operator") && (
              <Link href={`/placement/scenarios/${scenario.id}/edit`} className={buttonClass("secondary")}>
                Edit
              </Link>
            )}
          </>
        }
      />
      <Panel title="The scenario">
        {scenario.notes && <p className="mb-3 text-sm whitespace-pre-wrap">{scenario.notes}</p>}
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-xs text-muted uppercase">PoPs removed</dt>
            <dd className="font-mono">{removed.length ? removed.join(", ") : "none"}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted uppercase">Candidate PoPs</dt>
            <dd>
              {added.length === 0
                ? "none"
                : added.map((pop) => (
                    <div key={`${pop.city}-${pop.latitude}`}>
                      {pop.city}, {pop.country}: {pop.capacityGbps} Gbit/s{pop.upstreamAsns.length ? `, via ${pop.upstreamAsns.map((asn) => `AS${asn}`).join(", ")}` : ""}
                    </div>
                  ))}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-muted uppercase">Prepends</dt>
            <dd className="font-mono">{prepends.length ? prepends.map((p) => `${p.pop} ×${p.prepends}`).join(", ") : "none"}</dd>
          </div>
        </dl>
      </Panel>
      <Panel
        title="Predicted result"
        className="mt-4"
        actions={
          prefix && (
            <a href={`/api/v1/placement/scenarios/${scenario.id}/result?format=csv&prefix=${prefix.id}`} className={buttonClass("ghost")} data-print="hide">
              Export CSV
            </a>
          )
        }
      >
        <PrefixChips prefixes={prefixes} current={prefix?.id} hrefOf={(id) => `/placement/scenarios/${scenario.id}?prefix=${id}`} />
        {result && prefix ? (
          <div className="flex flex-col gap-4">
            <ScenarioCatchmentMap columns={catchmentColumns(result.catchment)} pops={mapPops} />
            <ScenarioResultView result={result} prefix={prefix.cidr} />
          </div>
        ) : (
          <p className="text-sm text-muted">No prefix yet.</p>
        )}
      </Panel>
      {result && (
        <Panel title="N-1 after this scenario" className="mt-4">
          <p className="mb-3 text-sm text-muted">
            With the scenario in place, each PoP it leaves (its candidates too) lost at the 7-day peak: where its clients would go, and whether a receiver would pass 85 % or a
            prefix its safety floor. {result.nMinusOne.filter((row) => row.breaks).length} of {result.nMinusOne.length} losses would break a limit. An estimate.
          </p>
          <NMinusOneTable rows={result.nMinusOne} label="N-1 after this scenario" />
        </Panel>
      )}
    </>
  );
}
