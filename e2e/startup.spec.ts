// `npm start` itself: a restart keeps the data and never re-seeds, Ctrl-C stops Postgres
// cleanly, DATABASE_URL works against another Postgres (Debian's PostgreSQL 15 in CI), and
// an unreachable one gets one clear line. Runs after the console has been built by the
// web server of this suite, so these starts reuse the build.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { signIn, spawnConsole, startConsole } from "../test/support/console-process";
import { expect, test } from "./support/fixtures";

test.describe.configure({ mode: "serial", timeout: 240_000 });

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

test("a restart keeps every change and never seeds again; Ctrl-C stops Postgres cleanly", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-restart-"));
  const options = { port: 3410, pgPort: 25471, agentBasePort: 23600, dataDir };
  try {
    // As a user does: `npm start` in a terminal, then Ctrl-C (SIGINT to the whole process group).
    const first = await startConsole({ ...options, viaNpm: true });
    expect(first.output()).toContain("seeded the demo fleet");
    // The console's own database role, as `npm start` leaves its URL in the data folder.
    const database = readFileSync(path.join(dataDir, "database-url"), "utf8").trim();
    await query(database, `UPDATE pop SET capacity_gbps = 777 WHERE code = 'AMS1'`);
    // npm reports Ctrl-C as 130 whatever the script did; the script's own clean stop shows in its output.
    expect(await first.stop("SIGINT")).toBe(130);
    expect(first.output()).toContain("Postgres stopped.");
    // Nothing left behind: Postgres is down, not orphaned.
    await expect(query(database, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);

    const second = await startConsole(options);
    try {
      expect(second.output()).toContain("existing data kept (no re-seed)");
      const [counts] = await query<{ pops: number; seeds: number; capacity: number }>(
        database,
        `SELECT (SELECT count(*)::int FROM pop) AS pops,
                (SELECT count(*)::int FROM audit_event WHERE action = 'demo.seed') AS seeds,
                (SELECT capacity_gbps FROM pop WHERE code = 'AMS1') AS capacity`,
      );
      expect(counts).toEqual({ pops: 20, seeds: 1, capacity: 777 });
      const cookie = await signIn(second.baseUrl, "viewer", "catchment-viewer");
      const page = await fetch(`${second.baseUrl}/pops/AMS1`, { headers: { cookie } });
      expect(await page.text()).toContain("777 Gbps");
    } finally {
      expect(await second.stop("SIGINT")).toBe(0);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("DATABASE_URL: the console runs on another Postgres (Debian's PostgreSQL 15)", async () => {
  const server = process.env.TEST_PG15_URL;
  test.skip(!server, "LOUD SKIP: no Debian PostgreSQL 15 on this machine (npm test starts it where it is installed).");
  const name = `catchment_start_${Date.now()}`;
  await query(server!, `CREATE DATABASE ${name}`);
  const url = new URL(server!);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-pg15-"));
  const console_ = await startConsole({ port: 3411, pgPort: 25472, agentBasePort: 23700, dataDir, env: { DATABASE_URL: url.toString(), CATCHMENT_DEMO: "1" } });
  try {
    expect(console_.output()).not.toContain("embedded Postgres");
    // One URL whose role owns the schema: the start says what that costs.
    expect(console_.output()).toContain(`catchment: warning: the console's role "${url.username}" is a superuser or owns the audit log`);
    const [version] = await query<{ server_version: string }>(url.toString(), "SHOW server_version");
    expect(version!.server_version).toMatch(/^15\./);
    const cookie = await signIn(console_.baseUrl, "admin", "catchment-admin");
    const overview = await fetch(`${console_.baseUrl}/`, { headers: { cookie } });
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain("AMS1");
  } finally {
    await console_.stop("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
    await query(server!, `DROP DATABASE ${name} WITH (FORCE)`);
  }
});

test("DATABASE_OWNER_URL: the owner migrates and seeds, the console serves as a role of its own (Debian's PostgreSQL 15)", async () => {
  const server = process.env.TEST_PG15_URL;
  test.skip(!server, "LOUD SKIP: no Debian PostgreSQL 15 on this machine (npm test starts it where it is installed).");
  const name = `catchment_roles_${Date.now()}`;
  const role = `${name}_console`;
  await query(server!, `CREATE DATABASE ${name}`);
  await query(server!, `CREATE ROLE ${role} LOGIN PASSWORD 'console-pw'`);
  const ownerUrl = new URL(server!);
  ownerUrl.pathname = `/${name}`;
  const consoleUrl = new URL(ownerUrl);
  consoleUrl.username = role;
  consoleUrl.password = "console-pw";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-pg15-roles-"));
  const console_ = await startConsole({
    port: 3414,
    pgPort: 25474,
    agentBasePort: 23900,
    dataDir,
    env: { DATABASE_URL: consoleUrl.toString(), DATABASE_OWNER_URL: ownerUrl.toString(), CATCHMENT_DEMO: "1" },
  });
  try {
    expect(console_.output()).toContain(`catchment: migrations as "${ownerUrl.username}" (DATABASE_OWNER_URL); the console connects as "${role}" (DATABASE_URL).`);
    expect(console_.output()).not.toContain("warning");
    const cookie = await signIn(console_.baseUrl, "admin", "catchment-admin");
    const overview = await fetch(`${console_.baseUrl}/`, { headers: { cookie } });
    expect(await overview.text()).toContain("AMS1");
    // Every connection left open is the console's (its server, the probe simulator), none the owner's.
    const roles = await query<{ usename: string }>(ownerUrl.toString(), `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
    expect(roles).toEqual([{ usename: role }]);
    const [signIns] = await query<{ n: number }>(ownerUrl.toString(), `SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.sign_in'`);
    expect(signIns!.n).toBe(1);
  } finally {
    await console_.stop("SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
    await query(server!, `DROP DATABASE ${name} WITH (FORCE)`);
    await query(server!, `DROP ROLE ${role}`);
  }
});

test("an unreachable DATABASE_URL gets one clear line naming the host, and a non-zero exit", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-bad-url-"));
  const { child, output } = spawnConsole({
    port: 3412,
    pgPort: 25473,
    agentBasePort: 23800,
    dataDir,
    env: { DATABASE_URL: "postgresql://catchment:secret-pw@127.0.0.1:1/catchment" },
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const text = output();
  rmSync(dataDir, { recursive: true, force: true });
  expect(code).not.toBe(0);
  const lines = text.split("\n").filter((line) => line.startsWith("catchment:"));
  expect(lines).toEqual(["catchment: Cannot reach Postgres at 127.0.0.1:1: connection refused. Is the server running? Check DATABASE_URL."]);
  expect(text).not.toMatch(/\n\s+at /);
  expect(text).not.toContain("secret-pw");
});
