import { leaseRequestSchema } from "@/lib/agent-protocol/schemas";
import { defineAgentRoute } from "@/lib/server/agents/agent-route";
import { handleLeaseRequest } from "@/lib/server/agents/withdraw-lease";
import { db } from "@/lib/server/db/client";

/** A PoP agent whose health check failed asks to withdraw, renews, or gives the lease back. */
export const POST = defineAgentRoute({ body: leaseRequestSchema }, ({ pop, body, actor, ip }) => handleLeaseRequest(db, pop, body, actor, ip));
