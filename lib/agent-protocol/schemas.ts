import { z } from "zod";
import { parseCidr } from "@/lib/domain/cidr";

/** API v1 of the PoP agent: the contract between the agent and the console. */

export const prefixSchema = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.error });
  })
  .describe("An IPv4 or IPv6 prefix in CIDR notation with no host bits set, e.g. 192.0.2.0/24 or 2001:db8::/32");

const STANDARD_COMMUNITY = /^(\d{1,5}):(\d{1,5})$/;
const LARGE_COMMUNITY = /^(\d{1,10}):(\d{1,10}):(\d{1,10})$/;

/** A standard (RFC 1997, `asn:value`, 16 bits each) or large (RFC 8092, `a:b:c`, 32 bits each) community. */
export const communitySchema = z
  .string()
  .regex(/^\d{1,10}:\d{1,10}(:\d{1,10})?$/, { error: 'expected "asn:value" or a large community "a:b:c"' })
  .refine(
    (value) => {
      const standard = STANDARD_COMMUNITY.exec(value);
      if (standard) return standard.slice(1).every((part) => Number(part) <= 0xffff);
      const large = LARGE_COMMUNITY.exec(value);
      return large !== null && large.slice(1).every((part) => Number(part) <= 0xffffffff);
    },
    { error: "community value out of range (16-bit parts, or 32-bit parts for a large community)" },
  )
  .describe('A standard community "asn:value" or a large community "a:b:c"');

export const announcementStateSchema = z.enum(["announced", "drained", "withdrawn"]);
export type AnnouncementState = z.infer<typeof announcementStateSchema>;

export const MAX_PREPEND = 16;

const announcementFields = {
  prefix: prefixSchema,
  communities: z.array(communitySchema).max(32).optional(),
  reason: z.string().min(1).max(500),
  operationId: z
    .string()
    .min(1)
    .max(100)
    .describe("Idempotency key: the same operationId for the same prefix and the same body is applied once"),
};

/**
 * `PUT /v1/announcements`. A discriminated union so that "prepend only when drained" is part
 * of the schema itself, and of the JSON Schema generated from it.
 */
export const putAnnouncementRequestSchema = z.discriminatedUnion("state", [
  z.strictObject({
    ...announcementFields,
    state: z.literal("drained"),
    prepend: z
      .int({ error: (issue) => (issue.input === undefined ? "required when state is drained" : undefined) })
      .min(1)
      .max(MAX_PREPEND)
      .describe("How many times the PoP's ASN is prepended to the AS path while drained"),
  }),
  z.strictObject({
    ...announcementFields,
    state: z.enum(["announced", "withdrawn"]),
    prepend: z.never({ error: "allowed only when state is drained" }).optional(),
  }),
]);
export type PutAnnouncementRequest = z.infer<typeof putAnnouncementRequestSchema>;

const isoTime = z.iso.datetime();

/** The answer to a PUT, and to its replays (`replayed: true`, same `appliedAt`). */
export const announcementResultSchema = z.object({
  operationId: z.string(),
  prefix: z.string(),
  state: announcementStateSchema,
  /** AS-path prepends in force: 0 unless drained. */
  prepend: z.int().min(0).max(MAX_PREPEND),
  appliedAt: isoTime,
  replayed: z.boolean(),
});
export type AnnouncementResult = z.infer<typeof announcementResultSchema>;

export const speakerDriverSchema = z.enum(["sim", "bird", "gobgp", "exabgp"]);
export type SpeakerDriver = z.infer<typeof speakerDriverSchema>;

export const bgpSessionStateSchema = z.enum(["idle", "connect", "active", "opensent", "openconfirm", "established"]);
export type BgpSessionState = z.infer<typeof bgpSessionStateSchema>;

export const healthCheckKindSchema = z.enum(["dns", "http", "tcp"]);
export type HealthCheckKind = z.infer<typeof healthCheckKindSchema>;

export const healthStateSchema = z.enum(["unknown", "up", "rising", "falling", "down"]);
export type HealthState = z.infer<typeof healthStateSchema>;

const count = z.int().min(0).nullable();

/** One route as the PoP exports it to a session: what that upstream receives from it. */
export const exportedRouteSchema = z.object({
  prefix: z.string(),
  asPath: z.array(z.int().min(0).max(0xffffffff)),
  communities: z.array(z.string()),
});
export type ExportedRoute = z.infer<typeof exportedRouteSchema>;

export const sessionStatusSchema = z.object({
  name: z.string(),
  peerAsn: z.int().min(0).max(0xffffffff),
  peerAddress: z.string(),
  state: bgpSessionStateSchema,
  since: isoTime.nullable(),
  prefixesSent: count,
  prefixesReceived: count,
  /**
   * What the PoP exports to this session, read from the speaker; null when it could not be read
   * (the session is not established, or the driver cannot tell). Absent from agents before it.
   */
  exports: z.array(exportedRouteSchema).nullable().optional(),
});
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const announcementStatusSchema = z.object({
  prefix: z.string(),
  state: announcementStateSchema,
  prepend: z.int().min(0).max(MAX_PREPEND),
  communities: z.array(z.string()),
  since: isoTime,
  reason: z.string(),
  operationId: z.string().nullable(),
});
export type AnnouncementStatus = z.infer<typeof announcementStatusSchema>;

export const healthCheckStatusSchema = z.object({
  name: z.string(),
  kind: healthCheckKindSchema,
  state: healthStateSchema,
  since: isoTime,
  detail: z.string(),
});
export type HealthCheckStatus = z.infer<typeof healthCheckStatusSchema>;

/** `GET /v1/status`. */
export const agentStatusSchema = z.object({
  pop: z.string(),
  agentVersion: z.string(),
  /** The agent's clock, so the console can see skew before signatures start failing. */
  clock: isoTime,
  speaker: z.object({ driver: speakerDriverSchema, up: z.boolean(), error: z.string().nullable() }),
  sessions: z.array(sessionStatusSchema),
  announcements: z.array(announcementStatusSchema),
  health: z.array(healthCheckStatusSchema),
  maintenance: z.boolean(),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** Codes an agent answers with, and their HTTP status. */
export const AGENT_ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_prefix: 404,
  method_not_allowed: 405,
  operation_conflict: 409,
  payload_too_large: 413,
  internal: 500,
  speaker_error: 502,
} as const;
export type AgentErrorCode = keyof typeof AGENT_ERROR_STATUS;

const agentErrorCodes = Object.keys(AGENT_ERROR_STATUS) as [AgentErrorCode, ...AgentErrorCode[]];

/** The body of every non-2xx answer. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.enum(agentErrorCodes), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** `path: message; path: message`, for a 400 the caller can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** `PUT /v1/maintenance` on the agent: maintenance drains every prefix; leaving it restores. */
export const putMaintenanceRequestSchema = z.strictObject({
  enabled: z.boolean(),
  reason: z.string().min(1).max(500).optional(),
});
export type PutMaintenanceRequest = z.infer<typeof putMaintenanceRequestSchema>;

export const maintenanceStatusSchema = z.object({
  /** In maintenance, by the API or by the maintenance file. */
  enabled: z.boolean(),
  byApi: z.boolean(),
  byFile: z.boolean(),
  reason: z.string().nullable(),
  since: isoTime.nullable(),
});
export type MaintenanceStatus = z.infer<typeof maintenanceStatusSchema>;

// Agent -> console: the agent reports to `POST /api/v1/agents/{code}/health` and asks for
// withdraw leases at `POST /api/v1/agents/{code}/leases`, both signed with the PoP's secret.

export const wireCauseSchema = z.enum(["console", "health-drain", "lease-withdraw", "maintenance"]);

export const agentReportSchema = z.strictObject({
  sentAt: isoTime,
  maintenance: z.strictObject({ enabled: z.boolean(), reason: z.string().max(500).nullable(), since: isoTime.nullable() }),
  checks: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        kind: healthCheckKindSchema,
        service: z.string().max(100).nullable(),
        target: z.string().max(500),
        intervalMs: z.int().min(1),
        timeoutMs: z.int().min(1),
        rise: z.int().min(1),
        fall: z.int().min(1),
        state: healthStateSchema,
        since: isoTime,
        checkedAt: isoTime.nullable(),
        detail: z.string().max(1000),
      }),
    )
    .max(100),
  /** State changes since the last report the console acknowledged, oldest first. */
  events: z
    .array(z.strictObject({ check: z.string().min(1).max(100), from: healthStateSchema, to: healthStateSchema, at: isoTime, detail: z.string().max(1000) }))
    .max(1000),
  /** What is on the wire for each prefix, and why it differs from the console's intent. */
  announcements: z
    .array(z.strictObject({ prefix: prefixSchema, state: announcementStateSchema, prepend: z.int().min(0).max(MAX_PREPEND), cause: wireCauseSchema }))
    .max(1000),
});
export type AgentReport = z.infer<typeof agentReportSchema>;

export const leaseRequestSchema = z.strictObject({
  prefix: prefixSchema,
  action: z.enum(["acquire", "renew", "release"]),
  /** Required to renew or release. */
  leaseId: z.string().min(1).max(100).optional(),
  /** Why the agent wants to withdraw (the failed check), for the audit log. */
  reason: z.string().min(1).max(500),
});
export type LeaseRequest = z.infer<typeof leaseRequestSchema>;

export const leaseResponseSchema = z.object({
  granted: z.boolean(),
  leaseId: z.string().nullable(),
  /** How long the lease lasts from when the console granted it; the agent counts from when it asked. */
  ttlMs: z.int().min(0).nullable(),
  expiresAt: isoTime.nullable(),
  message: z.string(),
});
export type LeaseResponse = z.infer<typeof leaseResponseSchema>;
