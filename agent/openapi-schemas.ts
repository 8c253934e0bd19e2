import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import {
  agentStatusSchema,
  announcementResultSchema,
  errorBodySchema,
  maintenanceStatusSchema,
  putAnnouncementRequestSchema,
  putMaintenanceRequestSchema,
} from "@/lib/agent-protocol/schemas";

/**
 * The `components.schemas` of agent/openapi.json, generated from the zod schemas the code
 * runs on. The paths of the document are written by hand; these are not: after changing a
 * schema, refresh them with `npx tsx agent/openapi-schemas.ts --write` (openapi.network.test.ts fails
 * until then).
 */
export function openApiComponentSchemas(): Record<string, unknown> {
  const fromZod = (schema: z.ZodType, io: "input" | "output") => {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
    return rest;
  };
  return {
    PutAnnouncementRequest: fromZod(putAnnouncementRequestSchema, "input"),
    AnnouncementResult: fromZod(announcementResultSchema, "output"),
    AgentStatus: fromZod(agentStatusSchema, "output"),
    PutMaintenanceRequest: fromZod(putMaintenanceRequestSchema, "input"),
    MaintenanceStatus: fromZod(maintenanceStatusSchema, "output"),
    Error: fromZod(errorBodySchema, "output"),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes("--write")) {
  const file = path.join(import.meta.dirname, "openapi.json");
  const document = JSON.parse(readFileSync(file, "utf8")) as { components: { schemas: unknown } };
  document.components.schemas = openApiComponentSchemas();
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  process.stdout.write(`updated ${file}\n`);
}
