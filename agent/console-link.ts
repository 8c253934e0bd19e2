import { z } from "zod";
import { leaseResponseSchema, type AgentReport, type LeaseRequest, type LeaseResponse } from "@/lib/agent-protocol/schemas";
import { signRequest } from "@/lib/agent-protocol/signing";

const reportResponseSchema = z.object({ events: z.int().min(0) });

export type ConsoleResult<T> = { ok: true; value: T } | { ok: false; message: string; status?: number };

export type ConsoleLink = {
  report(report: AgentReport): Promise<ConsoleResult<{ events: number }>>;
  lease(request: LeaseRequest): Promise<ConsoleResult<LeaseResponse>>;
};

/**
 * The agent's side of agent -> console calls: signed POSTs with the PoP's own secret, the
 * same scheme the console uses toward the agent. Never throws: an unreachable console is
 * an everyday state, and the agent's answer to it is to stay drained.
 */
export function createConsoleLink({ url, pop, secret, timeoutMs }: { url: string; pop: string; secret: string; timeoutMs: number }): ConsoleLink {
  const base = new URL(url.endsWith("/") ? url : `${url}/`);

  async function post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<ConsoleResult<T>> {
    const target = new URL(`api/v1/agents/${encodeURIComponent(pop)}/${path}`, base);
    const text = JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: signRequest({ secret, method: "POST", path: target.pathname + target.search, body: text }) },
        body: text,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") return { ok: false, message: `console ${base.origin} did not answer within ${timeoutMs} ms` };
      const code = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, message: `console ${base.origin} is unreachable (${code ?? "connection failed"})` };
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return { ok: false, status: response.status, message: `console answered HTTP ${response.status} with a body that is not JSON` };
    }
    if (!response.ok) {
      const message = (json as { error?: { message?: string } }).error?.message ?? "no message";
      return { ok: false, status: response.status, message: `console answered HTTP ${response.status}: ${message}` };
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, status: response.status, message: "console answered with an unexpected body" };
  }

  return {
    report: (report) => post("health", report, reportResponseSchema),
    lease: (request) => post("leases", request, leaseResponseSchema),
  };
}
