import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { describeIssues } from "@/lib/agent-protocol/schemas";
import { verifyRequest } from "@/lib/agent-protocol/signing";
import type { Actor } from "../audit";
import { clientIpFrom } from "../client-ip";
import { db } from "../db/client";
import { AppError, fromPrismaError } from "../errors";
import { log } from "../log";
import { readBody } from "../request-body";
import { errorResponse } from "../route";
import { acceptAgentRequestOnce } from "./replay-guard";

export type AgentPop = { id: number; code: string };

type AgentRouteContext<B extends z.ZodType> = { request: NextRequest; pop: AgentPop; body: z.output<B>; actor: Actor; ip: string | null };

/** An agent's report or lease request is a few KiB; anything past this is not from an agent. */
export const MAX_AGENT_BODY_BYTES = 64 * 1024;

/**
 * Refuses a request whose Authorization header is missing, malformed or out of date before
 * anything else is done for it. verifyRequest checks those before the signature, which needs
 * the body: asked with no secret, a well-formed fresh header fails only on the signature.
 */
function refuseBadAuthorization(request: NextRequest): void {
  const verdict = verifyRequest({ secret: "", method: request.method, path: "", authorization: request.headers.get("authorization") });
  if (!verdict.ok && verdict.code !== "bad_signature") throw new AppError("unauthenticated", `Agent request refused: ${verdict.message}`);
}

/**
 * The wrapper for routes a PoP agent calls (agent -> console). No user session or API token:
 * the request must be signed with that PoP's own agentSecret, by the same scheme the console
 * signs its calls to the agent with (lib/agent-protocol/signing.ts), over the raw body and
 * the path as received. Cheap refusals come first, so an unsigned or huge request costs
 * nothing: the header's form, then the PoP, then the body, read up to 64 KiB, then the
 * signature over it. Then the body is parsed with zod.
 */
export function defineAgentRoute<B extends z.ZodType>(config: { body: B }, handler: (context: AgentRouteContext<B>) => Promise<unknown>) {
  return async function route(request: NextRequest, segment: { params: Promise<{ code: string }> }): Promise<Response> {
    try {
      const { code } = await segment.params;
      refuseBadAuthorization(request);
      const pop = await db.pop.findUnique({ where: { code: code.toUpperCase() }, select: { id: true, code: true, agentSecret: true, status: true } });
      if (!pop || !pop.agentSecret || pop.status === "decommissioned") throw new AppError("not_found", `There is no active PoP ${code} with an agent secret.`);
      const raw = await readBody(request, MAX_AGENT_BODY_BYTES);
      const verdict = verifyRequest({
        secret: pop.agentSecret,
        method: request.method,
        path: request.nextUrl.pathname + request.nextUrl.search,
        body: raw,
        authorization: request.headers.get("authorization"),
      });
      if (!verdict.ok) throw new AppError("unauthenticated", `Agent request refused: ${verdict.message}`);
      // Each signed request acts once (a replayed lease acquire would take a lease again).
      if (!(await acceptAgentRequestOnce(db, verdict))) throw new AppError("unauthenticated", "Agent request refused: this signed request was already received (a replay).");
      let json: unknown;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        throw new AppError("invalid_input", "The request body is not valid JSON.");
      }
      const parsed = config.body.safeParse(json);
      if (!parsed.success) throw new AppError("invalid_input", `Invalid request body: ${describeIssues(parsed.error)}`);
      const result = await handler({
        request,
        pop: { id: pop.id, code: pop.code },
        body: parsed.data,
        actor: { id: null, name: `agent ${pop.code}` },
        ip: clientIpFrom(request.headers.get("x-forwarded-for")),
      });
      return NextResponse.json(result);
    } catch (error) {
      const known = error instanceof AppError ? error : fromPrismaError(error);
      if (known) return errorResponse(known);
      log.error({ err: error, path: request.nextUrl.pathname }, "agent route failed");
      return errorResponse(new AppError("internal", "Something went wrong on the server. It has been logged."));
    }
  };
}
