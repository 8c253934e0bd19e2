import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { PageHeader, Panel } from "@/components/ui/panel";
import { formatUtc } from "@/lib/domain/format";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { getScenario } from "@/lib/server/placement/scenarios";

export const metadata: Metadata = { title: "Placement scenario" };

export default async function ScenarioPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const scenario = await getScenario(db, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
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
    </>
  );
}
