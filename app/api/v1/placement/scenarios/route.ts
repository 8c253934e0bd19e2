import { NextResponse } from "next/server";
import { scenarioInput } from "@/lib/domain/placement/scenario-input";
import { db } from "@/lib/server/db/client";
import { createScenario, listScenarios } from "@/lib/server/placement/scenarios";
import { defineRoute } from "@/lib/server/route";

/** The saved placement scenarios, newest change first (without their results). */
export const GET = defineRoute({ role: "viewer", scope: "read" }, async () => ({ scenarios: await listScenarios(db) }));

/** Saves a scenario (operators and admins; the `operate` scope for a token); audited. 201 with it. */
export const POST = defineRoute({ role: "operator", scope: "operate", body: scenarioInput }, async ({ body, actor, ip }) =>
  NextResponse.json(await createScenario(db, body, actor, ip), { status: 201 }),
);
