import { readFileSync } from "node:fs";
import path from "node:path";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { canonicalCidr, isIpAddress } from "@/lib/domain/cidr";
import {
  announcementStateSchema,
  healthCheckKindSchema,
  MAX_PREPEND,
  prefixSchema,
} from "@/lib/agent-protocol/schemas";
import { DEFAULT_MAX_SKEW_MS } from "@/lib/agent-protocol/signing";
import { parseHostPort } from "./health/checks";

export const SECRET_ENV = "CATCHMENT_AGENT_SECRET";

export type Environment = Record<string, string | undefined>;
const MIN_SECRET_LENGTH = 16;
/** An agent other machines can reach needs a secret nobody can guess offline from a signed request. */
const MIN_EXPOSED_SECRET_LENGTH = 32;
/** The secrets in this project's examples (agent/README.md): anyone has read them. */
const SAMPLE_SECRETS = new Set(["demo-secret-0123456789"]);

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === "loopback";
}

const upstreamSchema = z.strictObject({
  name: z.string().min(1),
  peerAsn: z.int().min(1).max(0xffffffff),
  peerAddress: z.string().refine(isIpAddress, { error: "not an IPv4 or IPv6 address" }),
});

const speakerDrivers = z.discriminatedUnion("driver", [
  z.strictObject({
    driver: z.literal("sim"),
    upstreams: z.array(upstreamSchema).default([]),
    /** The PoP's ASN, for the AS paths each session reports receiving. */
    asn: z.int().min(1).max(0xffffffff).optional(),
    applyDelayMs: z.int().min(0).max(60_000).optional(),
  }),
  // GoBGP and ExaBGP drivers are not built yet: a config naming one parses, and the agent
  // refuses to start with a message saying so.
  z.strictObject({
    driver: z.literal("bird"),
    /** BIRD's control socket (`bird -s`). */
    socket: z.string().min(1),
    /** The file the agent owns and bird.conf includes: the anycast prefixes' static routes and the export filter's prepends and communities. */
    includeFile: z.string().min(1),
    birdc: z.string().min(1).default("birdc"),
    /** The PoP's ASN, prepended while drained; learned from BIRD's BGP protocols when absent. */
    asn: z.int().min(1).max(0xffffffff).optional(),
  }),
  z.strictObject({ driver: z.literal("gobgp"), apiAddress: z.string().min(1).default("127.0.0.1:50051") }),
  z.strictObject({ driver: z.literal("exabgp"), commandPipe: z.string().min(1).optional() }),
]);
/** `prependFile`, the bird driver's first name for `includeFile` (a misleading one: the file holds the static routes too), is still read. */
const speakerSchema = z.preprocess((value) => {
  if (typeof value !== "object" || value === null || !("prependFile" in value) || "includeFile" in value) return value;
  const { prependFile, ...rest } = value as Record<string, unknown>;
  return { ...rest, includeFile: prependFile };
}, speakerDrivers);
export type SpeakerConfig = z.infer<typeof speakerSchema>;

const prefixEntrySchema = z
  .strictObject({
    prefix: prefixSchema,
    /** The state used while the state file knows nothing of this prefix (first start). */
    initialState: announcementStateSchema.default("announced"),
    initialPrepend: z.int().min(1).max(MAX_PREPEND).optional(),
    /** The service this prefix carries (dns, cdn, ...): health checks of that service cover it. */
    service: z.string().min(1).optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.initialState === "drained" && entry.initialPrepend === undefined) {
      ctx.addIssue({ code: "custom", path: ["initialPrepend"], message: "required when initialState is drained" });
    }
    if (entry.initialState !== "drained" && entry.initialPrepend !== undefined) {
      ctx.addIssue({ code: "custom", path: ["initialPrepend"], message: "allowed only when initialState is drained" });
    }
  });

// Defaults are anycast-healthchecker's (10 s, 2 s, rise 2, fall 2): the tool most of our users
// run today, so a config moved from it reacts as before. What a failure does is ExaBGP
// healthcheck's fail-soft (drain, keep announcing), not anycast-healthchecker's withdraw.
const healthCheckSchema = z
  .strictObject({
    name: z.string().min(1),
    kind: healthCheckKindSchema,
    /** dns and tcp: `host:port` (dns defaults to port 53); http: a URL. */
    target: z.string().min(1),
    /** The service whose prefixes this check covers (a prefix's `service`); none: every prefix. */
    service: z.string().min(1).optional(),
    /** dns only: the question (default CHAOS TXT hostname.bind). */
    query: z
      .strictObject({
        name: z.string().min(1),
        type: z.enum(["TXT", "A", "AAAA", "SOA", "NS"]).default("TXT"),
        class: z.enum(["IN", "CH"]).default("IN"),
      })
      .optional(),
    intervalMs: z.int().min(100).default(10_000),
    /**
     * While a check is rising or falling (a result differs from the settled state), the next
     * runs come this soon, so `rise`/`fall` results in a row take less time to gather
     * (ExaBGP healthcheck's fast interval). Default: `intervalMs` (no change).
     */
    fastIntervalMs: z.int().min(100).optional(),
    timeoutMs: z.int().min(1).default(2000),
    rise: z.int().min(1).default(2),
    fall: z.int().min(1).default(2),
  })
  .transform((check) => ({ ...check, fastIntervalMs: check.fastIntervalMs ?? check.intervalMs }))
  .refine((check) => check.timeoutMs < check.intervalMs, { error: "timeoutMs must be shorter than intervalMs", path: ["timeoutMs"] })
  .refine((check) => check.fastIntervalMs <= check.intervalMs, { error: "fastIntervalMs must not be longer than intervalMs", path: ["fastIntervalMs"] })
  .refine((check) => check.kind === "dns" || check.query === undefined, { error: "allowed only for dns checks", path: ["query"] })
  .refine((check) => (check.kind === "http" ? /^https?:\/\/./.test(check.target) : parseHostPort(check.target, check.kind === "dns" ? 53 : undefined) !== null), {
    error: "dns: host[:port]; tcp: host:port; http: an http(s) URL",
    path: ["target"],
  });

export const agentConfigFileSchema = z
  .strictObject({
    pop: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { error: "a PoP code such as AMS1 (letters, digits, - and _)" }),
    listen: z.strictObject({ host: z.string().min(1).default("127.0.0.1"), port: z.int().min(0).max(65_535) }),
    secret: z.string().optional(),
    secretFile: z.string().min(1).optional(),
    stateFile: z.string().min(1),
    prefixes: z.array(prefixEntrySchema).min(1),
    speaker: speakerSchema,
    healthChecks: z.array(healthCheckSchema).default([]),
    maxSkewMs: z.int().min(1000).max(600_000).default(DEFAULT_MAX_SKEW_MS),
    /** While this file exists the agent reports maintenance: true (the ExaBGP healthcheck convention). */
    maintenanceFile: z.string().min(1).optional(),
    /** AS-path prepends while drained by a failed check or maintenance (the console's default drain). */
    healthDrainPrepend: z.int().min(1).max(MAX_PREPEND).default(3),
    /**
     * The console this agent reports health changes to and asks for withdraw leases. Without
     * it a failed check still drains, but the agent can never withdraw.
     */
    console: z
      .strictObject({
        url: z.url({ protocol: /^https?$/ }),
        timeoutMs: z.int().min(100).max(60_000).default(3000),
        /** How often a refused or failed lease request is tried again while the check stays down. */
        leaseRetryMs: z.int().min(100).max(600_000).default(10_000),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.prefixes.forEach((entry, index) => {
      const canonical = canonicalCidr(entry.prefix);
      if (canonical === null) return;
      const first = seen.get(canonical);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["prefixes", index, "prefix"], message: `duplicate of prefixes[${first}] (${canonical})` });
      } else seen.set(canonical, index);
    });
    const names = new Set<string>();
    config.healthChecks.forEach((check, index) => {
      if (names.has(check.name)) ctx.addIssue({ code: "custom", path: ["healthChecks", index, "name"], message: "duplicate health check name" });
      names.add(check.name);
    });
  });
export type AgentConfigFile = z.input<typeof agentConfigFileSchema>;

type ParsedFile = z.output<typeof agentConfigFileSchema>;

export type PrefixConfig = ParsedFile["prefixes"][number];
export type HealthCheckConfig = ParsedFile["healthChecks"][number];

/** A ready-to-run agent config: secret resolved, paths absolute, prefixes canonical. */
export type AgentConfig = Omit<ParsedFile, "secret" | "secretFile"> & { secret: string };

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: string[] };

/** `prefixes[0].prefix`, the way an operator reads a JSON path. */
export function formatIssuePath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, "");
}

export function problemLines(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  return error.issues.map((issue) => {
    const where = formatIssuePath([...prefix, ...issue.path]);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

export type ResolveOptions = {
  /** Relative paths in the config are relative to this folder (the config file's). */
  baseDir: string;
  env?: Environment;
  /** Where the config sits in a larger file (a fleet file's `agents[2]`), for messages. */
  path?: ReadonlyArray<PropertyKey>;
};

export function resolveAgentConfig(input: unknown, { baseDir, env = process.env, path: at = [] }: ResolveOptions): ConfigResult<AgentConfig> {
  const parsed = agentConfigFileSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: problemLines(parsed.error, at) };
  const { secret: inlineSecret, secretFile, ...file } = parsed.data;
  const where = (key: string) => formatIssuePath([...at, key]);

  let secret: string;
  if (inlineSecret !== undefined && secretFile !== undefined) {
    return { ok: false, problems: [`${where("secret")}: set either secret or secretFile, not both`] };
  } else if (secretFile !== undefined) {
    const secretPath = path.resolve(baseDir, secretFile);
    try {
      secret = readFileSync(secretPath, "utf8").trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      return { ok: false, problems: [`${where("secretFile")}: cannot read ${secretPath} (${code})`] };
    }
  } else if (inlineSecret !== undefined) {
    secret = inlineSecret;
  } else if (env[SECRET_ENV]) {
    secret = env[SECRET_ENV];
  } else {
    return { ok: false, problems: [`${where("secret")}: missing: set secret, secretFile, or the ${SECRET_ENV} environment variable`] };
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return { ok: false, problems: [`${where("secret")}: must be at least ${MIN_SECRET_LENGTH} characters`] };
  }
  if (!isLoopback(file.listen.host) && (secret.length < MIN_EXPOSED_SECRET_LENGTH || SAMPLE_SECRETS.has(secret))) {
    const weakness = SAMPLE_SECRETS.has(secret) ? "is the sample from the documentation" : `is shorter than ${MIN_EXPOSED_SECRET_LENGTH} characters`;
    return {
      ok: false,
      problems: [
        `${where("secret")}: ${weakness}, and the agent would listen on ${file.listen.host}, beyond this machine: use a random secret of ${MIN_EXPOSED_SECRET_LENGTH}+ characters (openssl rand -hex 32), or listen on 127.0.0.1`,
      ],
    };
  }

  return {
    ok: true,
    config: {
      ...file,
      secret,
      stateFile: path.resolve(baseDir, file.stateFile),
      maintenanceFile: file.maintenanceFile === undefined ? undefined : path.resolve(baseDir, file.maintenanceFile),
      prefixes: file.prefixes.map((entry) => ({ ...entry, prefix: canonicalCidr(entry.prefix) ?? entry.prefix })),
    },
  };
}

/** Reads and parses a JSON file; each problem line names the file. */
export function readJsonFile(file: string): ConfigResult<unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, problems: [`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`] };
  }
  try {
    return { ok: true, config: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problems: [`${file} is not valid JSON (${(error as Error).message})`] };
  }
}

export function loadAgentConfig(file: string, env: Environment = process.env): ConfigResult<AgentConfig> {
  const json = readJsonFile(file);
  if (!json.ok) return json;
  const resolved = resolveAgentConfig(json.config, { baseDir: path.dirname(path.resolve(file)), env });
  return resolved.ok ? resolved : { ok: false, problems: resolved.problems.map((problem) => `${file}: ${problem}`) };
}
