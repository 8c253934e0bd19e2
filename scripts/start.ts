// `npm start`: the console on a real Postgres, ready to use.
// - No DATABASE_URL: an embedded Postgres under the data folder (.data/ by default), the demo
//   fleet seeded on first start, never re-seeded over existing data.
// - DATABASE_URL set: that Postgres; the demo fleet only with CATCHMENT_DEMO=1.
// Then migrations (as the schema's owner), a production build when the sources changed, and
// `next start` on 127.0.0.1 unless HOST says otherwise. The console's server connects as a
// role that cannot alter the audit log (README, "Database roles").
// Ctrl-C stops the console and Postgres cleanly. Killed outright, it leaves nothing serving:
// its children stop on their own (spawn-child.ts), and the next start stops the embedded
// Postgres it left (lib/server/db/embedded-postgres.ts).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import exitHook from "async-exit-hook";
import { unreachableReason } from "../lib/server/db/connection-error";
import { CONSOLE_ROLE, startEmbeddedPostgres, type RunningPostgres } from "../lib/server/db/embedded-postgres";
import { auditLogBypassWarning, MigrationPrivilegeError, migrateDatabase, roleOf, type DatabaseRoles } from "../lib/server/db/migrate";
import { createDbClient } from "../lib/server/db/create-client";
import { ConfigError, readConfig } from "../lib/config";
import { DEMO_USERS } from "../lib/demo/fleet";
import { seedDemoFleet } from "../prisma/seed";
import { ensureBuild } from "./build-if-changed";
import { spawnDemoAgents, writeDemoFleetConfig } from "./demo-agents";
import { simulatorToken, spawnProbeSimulator } from "./demo-simulator";
import { spawnChild } from "./spawn-child";

const dev = process.argv.includes("--dev");
// Every variable checked before anything starts: a bad one stops here, with one line naming it.
const settings = (() => {
  try {
    return readConfig();
  } catch (error) {
    console.error(`catchment: ${error instanceof ConfigError ? error.message : String(error)} See README.md, Configuration.`);
    process.exit(2);
  }
})();
const port = settings.PORT;
// Loopback only unless asked: the demo fleet's passwords are published.
const host = settings.HOST;
const dataDir = path.resolve(settings.CATCHMENT_DATA_DIR);
const embedded = !settings.DATABASE_URL;
/** The schema's owner, for migrations and seeding; DATABASE_URL's role serves. */
const ownerUrlSetting = settings.DATABASE_OWNER_URL ?? null;
// `npm run lab`: the console for the BGP lab in that run folder (lab/README.md), not the demo fleet.
const labRunDir = settings.CATCHMENT_LAB_RUN_DIR;
const demo = !labRunDir && (embedded || settings.CATCHMENT_DEMO === "1");

const children: ChildProcess[] = [];
let postgres: RunningPostgres | null = null;
let stopping = false;

function fail(line: string): never {
  console.error(`catchment: ${line}`);
  process.exit(1);
}

/** NEXTAUTH_SECRET from the environment, else one made once and kept in the data folder. */
function authSecret(): string {
  if (settings.NEXTAUTH_SECRET) return settings.NEXTAUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** A child a signal ended has no exit code: waiting for its exit would wait forever. */
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) {
    // Each child leads its own process group: stop it and whatever it started.
    if (child.pid && running(child)) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(children.map((child) => (running(child) ? new Promise((resolve) => child.once("exit", resolve)) : null)));
  if (postgres) {
    await postgres.stop().catch((error) => console.error(`catchment: stopping Postgres: ${error}`));
    console.log("catchment: Postgres stopped.");
  }
  process.exit(code);
}

/** Keeps the console's server in the fold: if it dies, everything stops (a half-running console misleads). */
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

const RESTARTS_PER_WINDOW = 5;
const RESTART_WINDOW_MS = 60_000;

/**
 * A demo child (the PoP agents, the probe simulator) that dies is started again after a short
 * wait, and the console serves on meanwhile: its PoPs show as unreachable for a moment, as real
 * ones can. One that keeps dying (more than RESTARTS_PER_WINDOW times a minute) is left down.
 */
function superviseRestarting(name: string, start: () => ChildProcess) {
  const restarts: number[] = [];
  const launch = () => {
    const child = start();
    children.push(child);
    child.on("exit", (code, signal) => {
      if (stopping) return;
      children.splice(children.indexOf(child), 1);
      const now = Date.now();
      while (restarts.length && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= RESTARTS_PER_WINDOW) {
        console.error(`catchment: ${name} exited (${signal ?? code}) again after ${RESTARTS_PER_WINDOW} restarts within a minute: left stopped while the console serves on; restart npm start to try again.`);
        return;
      }
      const delayMs = 500 * 2 ** restarts.length;
      restarts.push(now);
      console.error(`catchment: ${name} exited (${signal ?? code}); restarting in ${delayMs / 1000} s (restart ${restarts.length} of at most ${RESTARTS_PER_WINDOW} a minute).`);
      setTimeout(() => {
        if (stopping) return;
        launch();
        console.log(`catchment: ${name} restarted.`);
      }, delayMs);
    });
  };
  launch();
}

/**
 * The embedded Postgres's URLs: the owner's for the migrations, the console's role for the rest,
 * which is also kept in the data folder for `npm run token|user|ingest` (README).
 */
async function embeddedDatabase(): Promise<DatabaseRoles> {
  const pgPort = settings.CATCHMENT_PG_PORT;
  try {
    postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres"), port: pgPort });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = /already in use|another postmaster/i.test(reason) ? " (another program uses that port: set CATCHMENT_PG_PORT)" : "";
    fail(`cannot start the embedded Postgres on port ${pgPort}: ${reason.trim()}${hint}`);
  }
  const urlFile = path.join(dataDir, "database-url");
  writeFileSync(urlFile, `${postgres.consoleUrl}\n`, { mode: 0o600 });
  // The mode given above applies only to a new file: one from an older start keeps its own.
  chmodSync(urlFile, 0o600);
  console.log(`catchment: embedded Postgres on 127.0.0.1:${pgPort}, data in ${path.relative(process.cwd(), path.join(dataDir, "postgres"))}; the console connects as ${CONSOLE_ROLE}`);
  return { ownerUrl: postgres.url, consoleUrl: postgres.consoleUrl };
}

/**
 * Your own Postgres: DATABASE_URL is the console's role; DATABASE_OWNER_URL, when given, the
 * schema's owner, which migrates and grants the console's role what it needs. With one URL
 * only, its role does both, and the start says what that costs.
 */
async function ownDatabase(): Promise<DatabaseRoles> {
  const consoleUrl = settings.DATABASE_URL!;
  const ownerUrl = ownerUrlSetting ?? consoleUrl;
  for (const url of new Set([consoleUrl, ownerUrl])) {
    const unreachable = await unreachableReason(url);
    if (unreachable) fail(unreachable);
  }
  if (roleOf(ownerUrl) !== roleOf(consoleUrl)) {
    console.log(`catchment: migrations as "${roleOf(ownerUrl)}" (DATABASE_OWNER_URL); the console connects as "${roleOf(consoleUrl)}" (DATABASE_URL).`);
  } else {
    console.log(`catchment: no DATABASE_OWNER_URL: "${roleOf(consoleUrl)}" (DATABASE_URL) applies the migrations and serves.`);
  }
  return { ownerUrl, consoleUrl };
}

/** Applies the migrations as the owner, and says so when the console's role could still get past the audit log's guard. */
async function migrate(roles: DatabaseRoles) {
  try {
    const { applied, consoleCanBypassAuditLog } = await migrateDatabase(roles);
    if (applied.length) console.log(`catchment: applied ${applied.length} migration(s): ${applied.join(", ")}`);
    if (consoleCanBypassAuditLog) console.warn(`catchment: ${auditLogBypassWarning(roles.consoleUrl)}`);
  } catch (error) {
    if (error instanceof MigrationPrivilegeError) fail(error.message);
    throw error;
  }
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

  if (embedded && ownerUrlSetting) fail("DATABASE_OWNER_URL is set but DATABASE_URL is not: set both (your own Postgres) or neither (the embedded one).");
  const database = embedded ? await embeddedDatabase() : await ownDatabase();
  await migrate(database);

  let agentFleet: string | null = null;
  let simulator: { token: string } | null = null;
  if (demo) {
    // As the owner: seeding sets foreign keys and indexes aside while it loads (prisma/seed.ts).
    const db = createDbClient(database.ownerUrl, 2);
    // A larger demo fleet on request, for load tests: CATCHMENT_DEMO_POPS, CATCHMENT_DEMO_PROBES.
    const result = await seedDemoFleet(db, {
      popCount: settings.CATCHMENT_DEMO_POPS,
      probeCount: settings.CATCHMENT_DEMO_PROBES,
      agentBasePort: settings.CATCHMENT_AGENT_BASE_PORT,
    });
    console.log(result.seeded ? "catchment: seeded the demo fleet." : "catchment: existing data kept (no re-seed).");
    agentFleet = await writeDemoFleetConfig(db, dataDir);
    // CATCHMENT_SIMULATOR=off: the demo fleet without live probes (its history stays).
    if (agentFleet && settings.CATCHMENT_SIMULATOR !== "off") simulator = { token: await simulatorToken(db) };
    await db.$disconnect();
  }

  if (labRunDir) {
    const { readLabInfo, setLabIngest } = await import("../lab/lab");
    const { seedLab } = await import("../lab/seed");
    const db = createDbClient(database.ownerUrl, 2);
    const lab = readLabInfo(labRunDir);
    const { ingestToken, created } = await seedLab(db, lab);
    await db.$disconnect();
    // The lab's reporter posts its probes' results here, with this ingest token.
    setLabIngest(labRunDir, { url: `http://127.0.0.1:${port}`, token: ingestToken });
    console.log(`catchment: ${created ? "seeded" : "updated"} the lab fleet (${lab.pops.map((pop) => pop.code).join(", ")}, ${lab.prefix}).`);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.consoleUrl,
    DATABASE_OWNER_URL: "",
    NEXTAUTH_SECRET: authSecret(),
    NEXTAUTH_URL: settings.NEXTAUTH_URL ?? `http://localhost:${port}`,
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The demo's probes measure every 2 minutes: an operation's prediction is checked 2.5 minutes after it.
  if (demo && settings.CATCHMENT_SETTLE_SECONDS === undefined) env.CATCHMENT_SETTLE_SECONDS = "150";
  if (agentFleet) superviseRestarting("the demo PoP agents", () => spawnDemoAgents(agentFleet));
  const next = path.resolve("node_modules/next/dist/bin/next");
  const listen = ["-p", String(port), "-H", host];
  if (dev) {
    run("next dev", [next, "dev", ...listen], env);
  } else {
    await ensureBuild(env);
    run("next start", [next, "start", ...listen], { ...env, NODE_ENV: "production" });
  }
  // The console's server as seen from this machine: loopback, unless it listens on one other address only.
  const local = ["0.0.0.0", "::"].includes(host) ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  if (simulator) {
    const token = simulator.token;
    const consoleUrl = `http://${local}:${port}`;
    superviseRestarting("the probe simulator", () => spawnProbeSimulator({ databaseUrl: database.consoleUrl, consoleUrl, token }));
  }

  console.log(`\ncatchment: the console is at http://${local === "127.0.0.1" ? "localhost" : local}:${port}`);
  console.log(
    settings.HOST !== "127.0.0.1"
      ? `catchment: listening on ${host} (HOST).`
      : "catchment: listening on 127.0.0.1 only; set HOST=0.0.0.0 to serve others.",
  );
  if (demo || labRunDir) {
    console.log("catchment: demo sign-ins (user name / password):");
    for (const user of DEMO_USERS) console.log(`  ${user.username.padEnd(9)} ${user.password.padEnd(20)} (${user.role})`);
  }
}

main().catch((error) => {
  console.error(`catchment: ${error instanceof Error ? error.message : error}`);
  void stop(1);
});
