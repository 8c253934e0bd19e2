import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ScenarioEditor } from "@/components/placement/scenario-editor";
import { DeleteForm } from "@/components/ui/delete-form";
import { PageHeader, Panel } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { getScenario, scenarioEditorChoices } from "@/lib/server/placement/scenarios";
import { deleteScenarioAction, saveScenarioAction } from "../../../actions";

export const metadata: Metadata = { title: "Edit placement scenario" };

export default async function EditScenarioPage({ params }: { params: Promise<{ id: string }> }) {
  await requireUser("operator");
  const { id } = await params;
  const [scenario, choices] = await Promise.all([
    getScenario(db, id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "not_found") notFound();
      throw error;
    }),
    scenarioEditorChoices(db),
  ]);
  return (
    <>
      <PageHeader title={`Edit ${scenario.name}`} subtitle={`By ${scenario.authorName}. Every change is in the audit log.`} />
      <Panel>
        <ScenarioEditor action={saveScenarioAction} pops={choices.pops} upstreams={choices.upstreams} initial={scenario} />
      </Panel>
      <Panel title="Delete" className="mt-4">
        <DeleteForm action={deleteScenarioAction} id={scenario.id} label="Delete this scenario" confirm={`Delete the scenario ${scenario.name}? Its definition is kept in the audit log.`} />
      </Panel>
    </>
  );
}
