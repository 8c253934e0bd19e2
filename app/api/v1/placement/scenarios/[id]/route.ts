import type { z } from "zod";
import { scenarioInput } from "@/lib/domain/placement/scenario-input";
import { db } from "@/lib/server/db/client";
import { deleteScenario, getScenario, updateScenario } from "@/lib/server/placement/scenarios";
import { defineRoute } from "@/lib/server/route";

type Params = { id: string };

/** One saved scenario's definition. */
export const GET = defineRoute<Params>({ role: "viewer", scope: "read" }, async ({ params }) => getScenario(db, params.id));

/** Replaces a scenario's name, notes and definition; audited. */
export const PUT = defineRoute<Params, z.ZodUnknown, typeof scenarioInput>({ role: "operator", scope: "operate", body: scenarioInput }, async ({ params, body, actor, ip }) =>
  updateScenario(db, params.id, body, actor, ip),
);

/** Deletes a scenario; audited. */
export const DELETE = defineRoute<Params>({ role: "operator", scope: "operate" }, async ({ params, actor, ip }) => {
  await deleteScenario(db, params.id, actor, ip);
  return { id: params.id, deleted: true };
});
