import { agentReportSchema } from "@/lib/agent-protocol/schemas";
import { defineAgentRoute } from "@/lib/server/agents/agent-route";
import { recordAgentReport } from "@/lib/server/agents/record-agent-report";
import { db } from "@/lib/server/db/client";

/** A PoP agent reports a change: health check states and events, what is on the wire, maintenance. */
export const POST = defineAgentRoute({ body: agentReportSchema }, ({ pop, body, actor, ip }) => recordAgentReport(db, pop, body, actor, ip));
