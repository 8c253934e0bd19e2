import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PrefixChips } from "@/components/placement/prefix-chips";
import { ScenarioResultView } from "@/components/placement/scenario-result";
import { buttonClass } from "@/components/ui/button";
import { PageHeader, Panel } from "@/components/ui/panel";
import { formatUtc } from "@/lib/domain/format";
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
  const result = prefix ? await getScenarioResult(db, scenario.definition, prefix.id) : null;
  const { removed, added, prepends } = scenario.definition;
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
        {result && prefix ? <ScenarioResultView result={result} prefix={prefix.cidr} /> : <p className="text-sm text-muted">No prefix yet.</p>}
      </Panel>
    </>
  );
}
