// The demo fleet's probe simulator (scripts/probe-simulator.ts) as a child of `npm start`. It
// posts through the ingest API like any probe, with a token of its own service user: an
// operator without a password, who cannot sign in.
import { config } from "../lib/config";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { issueApiToken } from "../lib/server/auth/api-token";
import { SYSTEM_ACTOR } from "../lib/server/audit";
import type { Db } from "../lib/server/db/create-client";
import { spawnChild } from "./spawn-child";

export const SIMULATOR_USERNAME = "probe-simulator";
const TOKEN_NAME = "demo probe simulator";

/** A fresh ingest token for this run; the previous runs' tokens are revoked. */
export async function simulatorToken(db: Db): Promise<string> {
  const user = await db.user.upsert({
    where: { username: SIMULATOR_USERNAME },
    create: { username: SIMULATOR_USERNAME, name: "Demo probe simulator", role: "operator" },
    update: {},
  });
  await db.apiToken.updateMany({ where: { userId: user.id, name: TOKEN_NAME, revokedAt: null }, data: { revokedAt: new Date() } });
  const { token } = await issueApiToken(db, SYSTEM_ACTOR, { username: user.username, name: TOKEN_NAME, scopes: ["ingest"], expiresAt: new Date(Date.now() + 30 * 86_400_000) });
  return token;
}

export function spawnProbeSimulator(options: { databaseUrl: string; consoleUrl: string; token: string }): ChildProcess {
  // Only what it needs: not the console's session secret.
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: options.databaseUrl,
    CATCHMENT_URL: options.consoleUrl,
    CATCHMENT_SIM_TOKEN: options.token,
    CATCHMENT_SIM_TICK_MS: String(config().CATCHMENT_SIM_TICK_MS),
    CATCHMENT_SIM_CYCLE_MS: String(config().CATCHMENT_SIM_CYCLE_MS),
  };
  return spawnChild(["--import", "tsx", path.resolve("scripts/probe-simulator.ts")], env);
}
