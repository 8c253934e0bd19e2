"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { scenarioInput } from "@/lib/domain/placement/scenario-input";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { createScenario, deleteScenario, updateScenario } from "@/lib/server/placement/scenarios";

// The editor sends its lists (PoPs removed, candidates, prepends) as one JSON field.
const editorInput = scenarioInput.extend({
  id: z.string().optional(),
  definition: z.preprocess((value) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  }, scenarioInput.shape.definition),
});

export const saveScenarioAction = defineAction({ role: "operator", input: editorInput }, async ({ id, ...input }, { actor, ip }) => {
  const saved = id ? await updateScenario(db, id, input, actor, ip) : await createScenario(db, input, actor, ip);
  revalidatePath("/placement");
  return { message: `Saved ${saved.name}.`, redirectTo: `/placement/scenarios/${saved.id}` };
});

export const deleteScenarioAction = defineAction({ role: "operator", input: z.object({ id: z.string().min(1) }) }, async ({ id }, { actor, ip }) => {
  await deleteScenario(db, id, actor, ip);
  revalidatePath("/placement");
  return { message: "Deleted.", redirectTo: "/placement" };
});
