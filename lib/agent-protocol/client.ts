import type { z } from "zod";
import {
  agentStatusSchema,
  announcementResultSchema,
  describeIssues,
  errorBodySchema,
  putAnnouncementRequestSchema,
  type AgentErrorCode,
  type AgentStatus,
  type AnnouncementResult,
  type PutAnnouncementRequest,
} from "./schemas";
import { signRequest } from "./signing";

/** Failures the client itself detects, next to the codes an agent answers with. */
export type AgentClientErrorCode = "timeout" | "unreachable" | "bad_response";

export type AgentCallError = {
  code: AgentErrorCode | AgentClientErrorCode;
  /** Written for the operator; never contains the secret. */
  message: string;
  /** The HTTP status, when the agent answered. */
  status?: number;
};

export type AgentResult<T> = { ok: true; value: T } | { ok: false; error: AgentCallError };

export type AgentClientOptions = {
  /** Base URL of the agent, e.g. `http://10.0.0.7:7100`. */
  url: string;
  secret: string;
  timeoutMs?: number;
};

export type AgentClient = {
  /** The agent URL without any credentials, as used in messages. */
  readonly url: string;
  status(): Promise<AgentResult<AgentStatus>>;
  putAnnouncement(body: PutAnnouncementRequest): Promise<AgentResult<AnnouncementResult>>;
};

/** An agent's answer is a few KiB (its status lists one PoP's prefixes and checks); past this it is refused unread. */
export const MAX_AGENT_RESPONSE_BYTES = 2 * 1024 * 1024;

/** The body as text, or null past `maxBytes` (declared or counted as it arrives; the rest is not read). */
async function readCappedText(response: Response, maxBytes: number): Promise<string | null> {
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}

const NETWORK_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);

/** The errno-style code of a failed fetch (undici puts it on `cause`, sometimes inside an AggregateError). */
function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === "string" && candidate.code.startsWith("E")) return candidate.code;
    current = candidate.cause ?? candidate.errors?.[0];
  }
  return undefined;
}

function parseBaseUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    parsed.hash = "";
    if (!parsed.pathname.endsWith("/")) parsed.pathname += "/";
    return parsed;
  } catch {
    return null;
  }
}

/**
 * The console's client for one agent. Every call resolves to a result and never throws: an
 * unreachable or misbehaving agent is an everyday state of a fleet, not an exception.
 * No retries here: the caller retries, safely, because PUTs are idempotent by operationId.
 */
export function createAgentClient({ url, secret, timeoutMs = 5000 }: AgentClientOptions): AgentClient {
  const base = parseBaseUrl(url);
  const displayUrl = base ? base.href.replace(/\/$/, "") : "(invalid URL)";

  async function call<T>(method: "GET" | "PUT", path: string, schema: z.ZodType<T>, body?: string): Promise<AgentResult<T>> {
    if (!base) {
      return { ok: false, error: { code: "unreachable", message: `agent URL is not a valid http(s) URL` } };
    }
    const target = new URL(path, base);
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: signRequest({ secret, method, path: target.pathname + target.search, body }),
    };
    if (body !== undefined) headers["content-type"] = "application/json";

    let status: number;
    let text: string | null;
    try {
      const response = await fetch(target, {
        method,
        headers,
        body,
        // A redirect would be unexpected from an agent; do not follow it anywhere.
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await readCappedText(response, MAX_AGENT_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
        return { ok: false, error: { code: "timeout", message: `agent ${displayUrl} did not answer within ${timeoutMs} ms` } };
      }
      const code = networkErrorCode(error);
      const detail = code && NETWORK_ERROR_CODES.has(code) ? code : (code ?? "connection failed");
      return { ok: false, error: { code: "unreachable", message: `agent ${displayUrl} is unreachable (${detail})` } };
    }

    if (text === null) {
      return {
        ok: false,
        error: { code: "bad_response", status, message: `agent ${displayUrl} answered ${method} ${target.pathname} with HTTP ${status} and a body larger than ${MAX_AGENT_RESPONSE_BYTES / 1024 / 1024} MiB; not read` },
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return {
        ok: false,
        error: { code: "bad_response", status, message: `agent ${displayUrl} answered ${method} ${target.pathname} with HTTP ${status} and a body that is not JSON` },
      };
    }

    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(json);
      if (parsed.success) return { ok: true, value: parsed.data };
      return {
        ok: false,
        error: { code: "bad_response", status, message: `agent ${displayUrl} answered ${method} ${target.pathname} with an unexpected body: ${describeIssues(parsed.error)}` },
      };
    }
    const errorBody = errorBodySchema.safeParse(json);
    if (errorBody.success) return { ok: false, error: { ...errorBody.data.error, status } };
    return {
      ok: false,
      error: { code: "bad_response", status, message: `agent ${displayUrl} answered ${method} ${target.pathname} with HTTP ${status} and no error body` },
    };
  }

  return {
    url: displayUrl,
    status: () => call("GET", "v1/status", agentStatusSchema),
    putAnnouncement: async (body) => {
      // Refuse locally what the agent would refuse, so a bad request never leaves the console.
      const request = putAnnouncementRequestSchema.safeParse(body);
      if (!request.success) return { ok: false, error: { code: "bad_request", message: describeIssues(request.error) } };
      return call("PUT", "v1/announcements", announcementResultSchema, JSON.stringify(request.data));
    },
  };
}
