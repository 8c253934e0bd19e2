import type { Metadata } from "next";
import { ScenarioEditor } from "@/components/placement/scenario-editor";
import { PageHeader, Panel } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { scenarioEditorChoices } from "@/lib/server/placement/scenarios";
import { saveScenarioAction } from "../../actions";

export const metadata: Metadata = { title: "New placement scenario" };

export default async function NewScenarioPage() {
  await requireUser("operator");
  const choices = await scenarioEditorChoices(db);
  return (
    <>
      <PageHeader title="New placement scenario" subtitle="Remove PoPs, add candidate PoPs, set prepends: the result is an estimate from the fleet's own measurements." />
      <Panel>
        <ScenarioEditor action={saveScenarioAction} pops={choices.pops} upstreams={choices.upstreams} />
      </Panel>
    </>
  );
}
