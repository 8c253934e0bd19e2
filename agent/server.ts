import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { canonicalCidr } from "@/lib/domain/cidr";
import {
  AGENT_ERROR_STATUS,
  describeIssues,
  putAnnouncementRequestSchema,
  putMaintenanceRequestSchema,
  type AgentErrorCode,
  type AgentStatus,
  type AnnouncementResult,
  type ErrorBody,
  type MaintenanceStatus,
} from "@/lib/agent-protocol/schemas";
import { ReplayGuard } from "@/lib/agent-protocol/replay-guard";
import { verifyRequest } from "@/lib/agent-protocol/signing";
import packageJson from "../package.json" with { type: "json" };
import type { AgentConfig, PrefixConfig } from "./config";
import { systemClock } from "./clock";
import { LocalControl } from "./local-control";
import openapi from "./openapi.json" with { type: "json" };
import { sameRoute, SpeakerError, type RouteIntent, type Speaker, type SpeakerStatus } from "./speakers/speaker";
import { initialAppliedState, routeIntent, type AppliedState, type StateStore } from "./state-store";

export const AGENT_VERSION: string = packageJson.version;
export const BODY_LIMIT_BYTES = 64 * 1024;
/** How long an idle connection from the console stays open: longer than its poll interval. */
export const KEEP_ALIVE_MS = 65_000;

class ApiError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type RequestContext = { body: Buffer; operationId?: string };
type Handler = (context: RequestContext) => Promise<unknown>;
type Route = { method: "GET" | "PUT"; path: string; authenticated: boolean; handle: Handler };

export type AgentRoute = Omit<Route, "handle">;

export type AgentServerOptions = {
  logger: Logger;
  now?: () => Date;
  /** How long close() lets requests in flight finish before cutting connections. */
  closeGraceMs?: number;
  /** Health checks, maintenance and leases; by default one with no console link, not started. */
  control?: LocalControl;
};

export type AgentServer = {
  readonly httpServer: Server;
  readonly routes: AgentRoute[];
  listen(): Promise<{ host: string; port: number; url: string }>;
  close(): Promise<void>;
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  const tooLarge = () => new ApiError("payload_too_large", `request body exceeds ${BODY_LIMIT_BYTES} bytes`);
  if (Number(request.headers["content-length"]) > BODY_LIMIT_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        request.off("data", onData);
        request.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/**
 * The agent's HTTP API v1 on node:http. Every /v1 route but the OpenAPI document needs a
 * signed request. Applies are serialised per prefix; each is persisted before it is answered.
 */
export function createAgentServer(config: AgentConfig, speaker: Speaker, store: StateStore, options: AgentServerOptions): AgentServer {
  const { logger } = options;
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const control = options.control ?? new LocalControl(config, speaker, store, { logger, clock: { ...systemClock, now } });
  const withPrefixLock = control.withPrefixLock;
  const replays = new ReplayGuard(config.maxSkewMs, startedAt.getTime());

  const currentState = (entry: PrefixConfig): AppliedState => store.get(entry.prefix) ?? initialAppliedState(entry, startedAt);

  async function status(): Promise<AgentStatus> {
    let speakerStatus: SpeakerStatus;
    try {
      speakerStatus = await speaker.status();
    } catch (error) {
      logger.warn({ err: error }, "speaker status failed");
      const message = error instanceof SpeakerError ? error.message : "the speaker did not report its status";
      speakerStatus = { up: false, error: message, sessions: [], routes: [] };
    }
    return {
      pop: config.pop,
      agentVersion: AGENT_VERSION,
      clock: now().toISOString(),
      speaker: { driver: speaker.driver, up: speakerStatus.up, error: speakerStatus.error },
      sessions: speakerStatus.sessions,
      // What is on the wire; the reason says when the agent itself drained or withdrew it.
      announcements: config.prefixes.map((entry) => {
        const state = currentState(entry);
        const wire = control.wireState(entry.prefix);
        return {
          prefix: entry.prefix,
          state: wire.state,
          prepend: wire.prepend,
          communities: wire.communities,
          since: state.since,
          reason: control.overrideReason(entry.prefix) ?? state.reason,
          operationId: state.operationId,
        };
      }),
      health: control.healthStatus(),
      maintenance: control.maintenanceStatus().enabled,
    };
  }

  async function putMaintenance(context: RequestContext): Promise<MaintenanceStatus> {
    let json: unknown;
    try {
      json = JSON.parse(context.body.toString("utf8"));
    } catch {
      throw new ApiError("bad_request", "the request body is not valid JSON");
    }
    const parsed = putMaintenanceRequestSchema.safeParse(json);
    if (!parsed.success) throw new ApiError("bad_request", describeIssues(parsed.error));
    return control.setMaintenance(parsed.data.enabled, parsed.data.reason);
  }

  async function putAnnouncement(context: RequestContext): Promise<AnnouncementResult> {
    let json: unknown;
    try {
      json = JSON.parse(context.body.toString("utf8"));
    } catch {
      throw new ApiError("bad_request", "the request body is not valid JSON");
    }
    const parsed = putAnnouncementRequestSchema.safeParse(json);
    if (!parsed.success) throw new ApiError("bad_request", describeIssues(parsed.error));
    const request = parsed.data;
    context.operationId = request.operationId;
    const prefix = canonicalCidr(request.prefix) ?? request.prefix;
    const entry = config.prefixes.find((candidate) => candidate.prefix === prefix);
    if (!entry) {
      throw new ApiError("unknown_prefix", `the agent at ${config.pop} has no ${prefix} in its configuration: add it to the agent's config file`);
    }
    const intent: RouteIntent = {
      state: request.state,
      prepend: request.state === "drained" ? request.prepend : 0,
      communities: [...new Set(request.communities ?? [])].sort(),
    };
    const requestHash = createHash("sha256")
      .update(JSON.stringify({ prefix, ...intent, reason: request.reason }))
      .digest("hex");

    return withPrefixLock(prefix, async () => {
      const earlier = store.findOperation(request.operationId, prefix);
      if (earlier) {
        if (earlier.requestHash !== requestHash) {
          throw new ApiError(
            "operation_conflict",
            `operation ${request.operationId} was already applied to ${prefix} with a different request; use a new operationId`,
          );
        }
        return { ...earlier.response, replayed: true };
      }

      const previous = currentState(entry);
      let wire: RouteIntent;
      try {
        wire = await control.applyRequested(prefix, intent);
      } catch (error) {
        logger.warn({ err: error, prefix, operationId: request.operationId }, "speaker apply failed");
        const detail = error instanceof SpeakerError ? error.message : "unexpected driver failure (see the agent log)";
        throw new ApiError("speaker_error", `speaker (${speaker.driver}) failed: ${detail}; ${prefix} stays ${previous.state}`);
      }

      const appliedAt = now().toISOString();
      const applied: AppliedState = {
        ...intent,
        reason: request.reason,
        operationId: request.operationId,
        since: sameRoute(previous, intent) ? previous.since : appliedAt,
      };
      // The answer says what is on the wire: a PoP drained by a failed check stays drained.
      const response: AnnouncementResult = { operationId: request.operationId, prefix, state: wire.state, prepend: wire.prepend, appliedAt, replayed: false };
      try {
        await store.record(prefix, applied, { operationId: request.operationId, requestHash, response });
      } catch (error) {
        logger.error({ err: error, prefix }, "could not write the state file; reverting the speaker");
        // The change must not outlive a restart that would forget it: undo it.
        const reverted = await control.applyRequested(prefix, routeIntent(previous)).then(
          () => true,
          (revertError: unknown) => {
            logger.error({ err: revertError, prefix }, "revert failed: the speaker is ahead of the state file");
            return false;
          },
        );
        throw new ApiError(
          "internal",
          reverted
            ? `the agent could not write its state file; ${prefix} was put back to ${previous.state}`
            : `the agent could not write its state file nor revert ${prefix}: check the agent`,
        );
      }
      logger.info({ prefix, state: intent.state, prepend: intent.prepend, wire: wire.state, operationId: request.operationId }, "announcement applied");
      control.afterRequested(prefix);
      return response;
    });
  }

  const routeTable: Route[] = [
    { method: "GET", path: "/v1/status", authenticated: true, handle: status },
    { method: "PUT", path: "/v1/announcements", authenticated: true, handle: putAnnouncement },
    { method: "PUT", path: "/v1/maintenance", authenticated: true, handle: putMaintenance },
    { method: "GET", path: "/v1/openapi", authenticated: false, handle: async () => openapi },
  ];

  function send(response: ServerResponse, status: number, body: unknown) {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    response.end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const target = request.url ?? "/";
    const path = target.split("?")[0] ?? "/";
    const context: RequestContext = { body: Buffer.alloc(0) };
    response.once("close", () => {
      logger.info(
        { method: request.method, path, status: response.statusCode, ms: Math.round(performance.now() - started), operationId: context.operationId },
        "request",
      );
    });

    try {
      const candidates = routeTable.filter((route) => route.path === path);
      if (candidates.length === 0) throw new ApiError("not_found", `no route ${path}`);
      const route = candidates.find((candidate) => candidate.method === request.method);
      if (!route) {
        response.setHeader("allow", candidates.map((candidate) => candidate.method).join(", "));
        throw new ApiError("method_not_allowed", `${request.method} is not allowed on ${path}`);
      }
      context.body = await readBody(request);
      if (route.authenticated) {
        const verdict = verifyRequest({
          secret: config.secret,
          method: request.method ?? "",
          path: target,
          body: context.body,
          authorization: request.headers.authorization,
          now: now().getTime(),
          maxSkewMs: config.maxSkewMs,
        });
        if (!verdict.ok) throw new ApiError("unauthorized", verdict.message);
        // A change is acted on once: a PUT seen again within its signature's window is a replay
        // (the console signs every attempt anew). Reads may repeat.
        if (route.method !== "GET" && !replays.accept(verdict.signature, verdict.timestamp, now().getTime())) {
          throw new ApiError("unauthorized", "this signed request was already received, or signed before the agent started: a replay is refused (sign every request anew)");
        }
      }
      send(response, 200, await route.handle(context));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError("internal", "internal error (see the agent log)");
      if (!(error instanceof ApiError)) logger.error({ err: error, path }, "request failed");
      if (apiError.code === "payload_too_large") response.setHeader("connection", "close");
      const body: ErrorBody = { error: { code: apiError.code, message: apiError.message } };
      send(response, AGENT_ERROR_STATUS[apiError.code], body);
    }
  }

  const httpServer = createServer((request, response) => {
    void handle(request, response);
  });
  httpServer.requestTimeout = 30_000;
  httpServer.headersTimeout = 10_000;
  // The console asks every agent for its status every 10 s (CATCHMENT_POLL_INTERVAL_MS). With
  // Node's default 5 s, every poll opened a new connection to every agent; answers now say
  // `Keep-Alive: timeout=65`, which the console's fetch honours, so polls reuse them.
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;

  return {
    httpServer,
    routes: routeTable.map(({ method, path, authenticated }) => ({ method, path, authenticated })),
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(config.listen.port, config.listen.host, () => {
          httpServer.off("error", reject);
          const { port } = httpServer.address() as AddressInfo;
          const host = config.listen.host;
          resolve({ host, port, url: `http://${host.includes(":") ? `[${host}]` : host}:${port}` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!httpServer.listening) return resolve();
        const force = setTimeout(() => httpServer.closeAllConnections(), options.closeGraceMs ?? 5000);
        httpServer.close(() => {
          clearTimeout(force);
          resolve();
        });
        httpServer.closeIdleConnections();
      }),
  };
}
