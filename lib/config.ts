// Every environment variable the console and its start scripts read, in one place, each with
// its default, validated by one zod schema: a bad value stops the start with one line naming
// it, instead of becoming NaN somewhere later. README.md's Configuration table lists the same.
// The lab (LAB_LOG_LEVEL, CATCHMENT_LAB_INSTANCE) and the PoP agent (its own config file) are
// separate programs with their own settings.
// No "server-only": the start script and the CLIs read it too.
import { z } from "zod";

/** An empty variable is an unset one (`FOO= npm start`). */
const unset = (value: unknown) => (value === "" ? undefined : value);

type Range = { min: number; max: number; integer?: boolean };

function checkedNumber(what: string, { min, max, integer = true }: Range) {
  const base = z.coerce.number({ error: `must be ${integer ? "a whole number" : "a number"}${what ? ` of ${what}` : ""}` });
  return (integer ? base.int({ error: `must be a whole number${what ? ` of ${what}` : ""}` }) : base).min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` });
}

/** A number in the range, `fallback` when unset. */
const number = (what: string, range: Range & { fallback: number }) => z.preprocess(unset, checkedNumber(what, range).default(range.fallback));
/** A number in the range, or unset. */
const optionalNumber = (what: string, range: Range) => z.preprocess(unset, checkedNumber(what, range).optional());

const optionalText = z.preprocess(unset, z.string().optional());
const onOff = z.preprocess(unset, z.enum(["on", "off"], { error: "must be on or off" }).default("on"));
const flag = z.preprocess(unset, z.enum(["0", "1"], { error: "must be 0 or 1" }).optional());
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const schema = z.object({
  // The database.
  DATABASE_URL: optionalText,
  DATABASE_OWNER_URL: optionalText,
  DATABASE_POOL_SIZE: number("connections", { min: 1, max: 200, fallback: 10 }),
  // Serving.
  PORT: number("", { min: 1, max: 65535, fallback: 3000 }),
  HOST: z.preprocess(unset, z.string().default("127.0.0.1")),
  NEXTAUTH_URL: z.preprocess(unset, z.url({ error: "must be the console's public URL, e.g. https://catchment.example.net" }).optional()),
  NEXTAUTH_SECRET: optionalText,
  CATCHMENT_TRUST_PROXY: flag,
  // The embedded default and the demo.
  CATCHMENT_DATA_DIR: z.preprocess(unset, z.string().default(".data")),
  CATCHMENT_PG_PORT: number("", { min: 1, max: 65535, fallback: 25432 }),
  CATCHMENT_DEMO: flag,
  CATCHMENT_DEMO_POPS: optionalNumber("PoPs", { min: 1, max: 1000 }),
  CATCHMENT_DEMO_PROBES: optionalNumber("probes", { min: 1, max: 1_000_000 }),
  CATCHMENT_AGENT_BASE_PORT: optionalNumber("", { min: 1, max: 65535 }),
  CATCHMENT_SIMULATOR: onOff,
  CATCHMENT_SIM_TICK_MS: number("milliseconds", { min: 100, max: 3_600_000, fallback: 5_000 }),
  CATCHMENT_SIM_CYCLE_MS: number("milliseconds", { min: 1_000, max: 86_400_000, fallback: 120_000 }),
  CATCHMENT_LAB_RUN_DIR: optionalText,
  // Agents and operations.
  CATCHMENT_AGENT_TIMEOUT_MS: number("milliseconds", { min: 100, max: 600_000, fallback: 5_000 }),
  CATCHMENT_AGENT_RETRIES: number("retries", { min: 0, max: 10, fallback: 2 }),
  CATCHMENT_POLL_INTERVAL_MS: number("milliseconds", { min: 200, max: 3_600_000, fallback: 10_000 }),
  CATCHMENT_POLLER: onOff,
  CATCHMENT_LEASE_TTL_MS: number("milliseconds", { min: 1_000, max: 3_600_000, fallback: 30_000 }),
  CATCHMENT_SETTLE_SECONDS: optionalNumber("seconds", { min: 1, max: 86_400, integer: false }),
  AGENT_LOG_LEVEL: z.preprocess(unset, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("warn")),
  // Catchment data.
  CATCHMENT_REFRESH_MS: number("milliseconds", { min: 1_000, max: 3_600_000, fallback: 10_000 }),
  CATCHMENT_MAP_SHARE_MS: number("milliseconds", { min: 0, max: 600_000, fallback: 2_000 }),
  CATCHMENT_PLACEMENT_MODEL_MS: number("milliseconds", { min: 0, max: 600_000, fallback: 30_000 }),
  CATCHMENT_INGEST_MAX_MB: number("megabytes", { min: 0.001, max: 10_240, integer: false, fallback: 32 }),
  // Logs.
  LOG_LEVEL: z.preprocess(unset, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info")),
  LOG_FORMAT: z.preprocess(unset, z.enum(["json", "pretty"], { error: "must be json or pretty" }).optional()),
  // Single sign-on (lib/server/auth/config.ts decides whether it is on).
  OIDC_ISSUER: optionalText,
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: optionalText,
  OIDC_SCOPES: optionalText,
  OIDC_ROLE_CLAIM: optionalText,
  OIDC_ADMIN_GROUPS: optionalText,
  OIDC_OPERATOR_GROUPS: optionalText,
});

export type Config = z.output<typeof schema>;
export const CONFIG_VARIABLES = Object.keys(schema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration: ${problems.join("; ")}.`);
    this.name = "ConfigError";
  }
}

/** Every variable read and checked; a ConfigError names each bad one with its value. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      // Secrets and URLs with passwords are named, never echoed.
      const shown = /SECRET|URL/.test(name) ? "" : `=${JSON.stringify(env[name] ?? "")}`;
      return `${name}${shown} ${issue.message}`;
    }),
  );
}

let cached: { key: string; config: Config } | null = null;

/**
 * The configuration of this process. Read once per distinct environment: the tests and the lab
 * set variables while a process runs, so the cache is keyed on the variables' values.
 */
export function config(): Config {
  const key = CONFIG_VARIABLES.map((name) => process.env[name] ?? "\u0000").join("\u0001");
  if (cached?.key !== key) cached = { key, config: readConfig(process.env) };
  return cached.config;
}
