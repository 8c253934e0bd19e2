// `npm start`: the console on a real Postgres, ready to use.
// - No DATABASE_URL: an embedded Postgres under the data folder (.data/ by default), the demo
//   fleet seeded on first start, never re-seeded over existing data.
// - DATABASE_URL set: that Postgres; the demo fleet only with CATCHMENT_DEMO=1.
// Then migrations, a production build when the sources changed, and `next start`.
// Ctrl-C stops the console and Postgres cleanly. Killed outright, it leaves nothing serving:
// its children stop on their own (spawn-child.ts), and the next start stops the embedded
// Postgres it left (lib/server/db/embedded-postgres.ts).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import exitHook from "async-exit-hook";
import { unreachableReason } from "../lib/server/db/connection-error";
import { startEmbeddedPostgres, type RunningPostgres } from "../lib/server/db/embedded-postgres";
import { applyMigrations } from "../lib/server/db/migrate";
import { createDbClient } from "../lib/server/db/create-client";
import { DEMO_USERS } from "../lib/demo/fleet";
import { seedDemoFleet } from "../prisma/seed";
import { ensureBuild } from "./build-if-changed";
import { spawnDemoAgents, writeDemoFleetConfig } from "./demo-agents";
import { simulatorToken, spawnProbeSimulator } from "./demo-simulator";
import { spawnChild } from "./spawn-child";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const dataDir = path.resolve(process.env.CATCHMENT_DATA_DIR ?? ".data");
const embedded = !process.env.DATABASE_URL;
// `npm run lab`: the console for the BGP lab in that run folder (lab/README.md), not the demo fleet.
const labRunDir = process.env.CATCHMENT_LAB_RUN_DIR;
const demo = !labRunDir && (embedded || process.env.CATCHMENT_DEMO === "1");

const children: ChildProcess[] = [];
let postgres: RunningPostgres | null = null;
let stopping = false;

function fail(line: string): never {
  console.error(`catchment: ${line}`);
  process.exit(1);
}


/** NEXTAUTH_SECRET from the environment, else one made once and kept in the data folder. */
function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    // Each child leads its own process group: stop it and whatever it started.
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null)));
  if (postgres) {
    await postgres.stop().catch((error) => console.error(`catchment: stopping Postgres: ${error}`));
    console.log("catchment: Postgres stopped.");
  }
  process.exit(code);
}

/** Keeps a child in the fold: if it dies, everything stops (a half-running console misleads). */
function supervise(child: ChildProcess, name: string): ChildProcess {
  children.push(child);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`catchment: ${name} exited (${signal ?? code}); stopping.`);
      void stop(code ?? 1);
    }
  });
  return child;
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return supervise(spawnChild(args, env), name);
}

async function main() {
  // embedded-postgres installs an exit hook (async-exit-hook) that stops Postgres and exits at
  // once on these signals, racing the orderly stop here: the console and agents first, then
  // Postgres. Unhook just that one: tsx's own listeners must stay, or it kills us with SIGKILL.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    exitHook.unhookEvent(signal);
    process.on(signal, () => void stop(0));
  }
  mkdirSync(dataDir, { recursive: true });

  let databaseUrl = process.env.DATABASE_URL ?? "";
  if (embedded) {
    const pgPort = Number(process.env.CATCHMENT_PG_PORT ?? 25432);
    try {
      postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: pgPort });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const hint = /already in use|another postmaster/i.test(reason) ? " (another program uses that port: set CATCHMENT_PG_PORT)" : "";
      fail(`cannot start the embedded Postgres on port ${pgPort}: ${reason.trim()}${hint}`);
    }
    databaseUrl = postgres.url;
    console.log(`catchment: embedded Postgres on 127.0.0.1:${pgPort}, data in ${path.relative(process.cwd(), path.join(dataDir, "postgres"))}`);
  } else {
    const unreachable = await unreachableReason(databaseUrl);
    if (unreachable) fail(unreachable);
  }

  const applied = await applyMigrations(databaseUrl);
  if (applied.length) console.log(`catchment: applied ${applied.length} migration(s): ${applied.join(", ")}`);

  let agentFleet: string | null = null;
  let simulator: { token: string } | null = null;
  if (demo) {
    const db = createDbClient(databaseUrl, 2);
    // A larger demo fleet on request, for load tests: CATCHMENT_DEMO_POPS, CATCHMENT_DEMO_PROBES.
    const result = await seedDemoFleet(db, {
      popCount: process.env.CATCHMENT_DEMO_POPS ? Number(process.env.CATCHMENT_DEMO_POPS) : undefined,
      probeCount: process.env.CATCHMENT_DEMO_PROBES ? Number(process.env.CATCHMENT_DEMO_PROBES) : undefined,
      agentBasePort: process.env.CATCHMENT_AGENT_BASE_PORT ? Number(process.env.CATCHMENT_AGENT_BASE_PORT) : undefined,
    });
    console.log(result.seeded ? "catchment: seeded the demo fleet." : "catchment: existing data kept (no re-seed).");
    agentFleet = await writeDemoFleetConfig(db, dataDir);
    // CATCHMENT_SIMULATOR=off: the demo fleet without live probes (its history stays).
    if (agentFleet && process.env.CATCHMENT_SIMULATOR !== "off") simulator = { token: await simulatorToken(db) };
    await db.$disconnect();
  }

  if (labRunDir) {
    const { readLabInfo, setLabIngest } = await import("../lab/lab");
    const { seedLab } = await import("../lab/seed");
    const db = createDbClient(databaseUrl, 2);
    const lab = readLabInfo(labRunDir);
    const { ingestToken, created } = await seedLab(db, lab);
    await db.$disconnect();
    // The lab's reporter posts its probes' results here, with this ingest token.
    setLabIngest(labRunDir, { url: `http://127.0.0.1:${port}`, token: ingestToken });
    console.log(`catchment: ${created ? "seeded" : "updated"} the lab fleet (${lab.pops.map((pop) => pop.code).join(", ")}, ${lab.prefix}).`);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_SECRET: authSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (agentFleet) supervise(spawnDemoAgents(agentFleet), "the demo PoP agents");
  const next = path.resolve("node_modules/next/dist/bin/next");
  if (dev) {
    run("next dev", [next, "dev", "-p", String(port)], env);
  } else {
    await ensureBuild(env);
    run("next start", [next, "start", "-p", String(port)], { ...env, NODE_ENV: "production" });
  }
  if (simulator) {
    const consoleUrl = `http://127.0.0.1:${port}`;
    supervise(spawnProbeSimulator({ databaseUrl, consoleUrl, token: simulator.token }), "the probe simulator");
  }

  console.log(`\ncatchment: the console is at http://localhost:${port}`);
  if (demo || labRunDir) {
    console.log("catchment: demo sign-ins (user name / password):");
    for (const user of DEMO_USERS) console.log(`  ${user.username.padEnd(9)} ${user.password.padEnd(20)} (${user.role})`);
  }
}

main().catch((error) => {
  console.error(`catchment: ${error instanceof Error ? error.message : error}`);
  void stop(1);
});
