import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PrefixChips } from "@/components/placement/prefix-chips";
import { ScenarioResultView } from "@/components/placement/scenario-result";
import { PageHeader, Panel } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { choosePrefix, getScenarioResult } from "@/lib/server/placement/get-placement-review";
import { getScenario } from "@/lib/server/placement/scenarios";

export const metadata: Metadata = { title: "Compare scenarios" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

/** Two scenarios side by side, for the same prefix. */
export default async function CompareScenariosPage({ searchParams }: Props) {
  await requireUser();
  const query = await searchParams;
  const ids = [one(query.a), one(query.b)];
  if (!ids[0] || !ids[1]) notFound();
  const notFoundIfMissing = (error: unknown): never => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  };
  const [{ prefixes, prefix }, ...scenarios] = await Promise.all([choosePrefix(db, one(query.prefix)).catch(notFoundIfMissing), ...ids.map((id) => getScenario(db, id!).catch(notFoundIfMissing))]);
  if (!prefix) notFound();
  const results = await Promise.all(scenarios.map((scenario) => getScenarioResult(db, scenario.definition, prefix.id)));
  return (
    <>
      <PageHeader title="Compare scenarios" subtitle={`${scenarios.map((s) => s.name).join(" and ")}, side by side: estimates from the fleet's own measurements.`} />
      <PrefixChips prefixes={prefixes} current={prefix?.id} hrefOf={(id) => `/placement/compare?a=${ids[0]}&b=${ids[1]}&prefix=${id}`} />
      <div className="grid gap-4 xl:grid-cols-2">
        {scenarios.map((scenario, index) => (
          <Panel key={scenario.id} title={scenario.name}>
            <ScenarioResultView result={results[index]!} prefix={prefix.cidr} />
          </Panel>
        ))}
      </div>
    </>
  );
}
