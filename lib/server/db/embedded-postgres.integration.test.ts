import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres";

// A Postgres of this file's own (the integration tests' shared one is not to be killed), on
// ports away from the others'.
const PORT = 25620;
const ROOT = path.resolve(import.meta.dirname, "../../..");

let dir: string;
const running: RunningPostgres[] = [];

afterEach(async () => {
  for (const postgres of running.splice(0)) await postgres.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Whether a process runs (a zombie, dead but not yet reaped by whoever adopted it, does not). */
function runs(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] !== "Z";
  } catch {
    return false;
  }
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("startEmbeddedPostgres", () => {
  it("stops the Postgres that a console killed outright left running, and starts on the same data", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "catchment-embedded-pg-"));
    const dataDir = path.join(dir, "postgres");
    // A stand-in for `npm start`: starts the embedded Postgres, writes a row, and is then SIGKILLed.
    const code = `import("./lib/server/db/embedded-postgres.ts").then(async ({ startEmbeddedPostgres }) => {
      const { url } = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${PORT} });
      const client = new (await import("pg")).default.Client({ connectionString: url });
      await client.connect();
      await client.query("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the kill')");
      await client.end();
      console.log("ready");
      setInterval(() => {}, 1000);
    });`;
    const owner = spawn(process.execPath, ["--import", "tsx", "-e", code], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    owner.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    await vi.waitFor(() => expect(stdout).toContain("ready"), { timeout: 60_000, interval: 200 });
    const leftPid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    owner.kill("SIGKILL");
    await new Promise((resolve) => owner.once("exit", resolve));
    expect(runs(leftPid)).toBe(true);

    const postgres = await startEmbeddedPostgres({ dataDir, port: PORT });
    running.push(postgres);
    expect(runs(leftPid)).toBe(false);
    expect(await query(postgres.url, "SELECT note FROM kept")).toEqual([{ note: "written before the kill" }]);
  }, 120_000);

  it("refuses a data folder whose Postgres a running process started, and leaves that Postgres running", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "catchment-embedded-pg-"));
    const dataDir = path.join(dir, "postgres");
    const first = await startEmbeddedPostgres({ dataDir, port: PORT });
    running.push(first);

    await expect(startEmbeddedPostgres({ dataDir, port: PORT + 1 })).rejects.toThrow(
      `a Postgres started by process ${process.pid} is running on ${dataDir}: is another console running with this data folder?`,
    );
    expect(await query(first.url, "SELECT 1 AS up")).toEqual([{ up: 1 }]);
  }, 120_000);

  it("gives each data folder its own passwords, in a file only this user reads, and the console a role that is no superuser", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "catchment-embedded-pg-"));
    const dataDir = path.join(dir, "postgres");
    const postgres = await startEmbeddedPostgres({ dataDir, port: PORT });
    running.push(postgres);

    const file = `${dataDir}.passwords.json`;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const passwords = JSON.parse(readFileSync(file, "utf8")) as { owner: string; console: string };
    expect(passwords.owner).toMatch(/^[0-9a-f]{48}$/);
    expect(passwords.console).toMatch(/^[0-9a-f]{48}$/);
    expect(postgres.url).toContain(`catchment:${passwords.owner}@`);
    expect(postgres.consoleUrl).toContain(`catchment_console:${passwords.console}@`);
    expect(await query(postgres.consoleUrl, "SELECT current_user AS role, current_setting('is_superuser') AS superuser")).toEqual([
      { role: "catchment_console", superuser: "off" },
    ]);
    await expect(query(postgres.url.replace(passwords.owner, "catchment"), "SELECT 1")).rejects.toThrow(/password authentication failed/);
  }, 120_000);

  it("gives a data folder from before per-folder passwords its own at the next start, and keeps its data", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "catchment-embedded-pg-"));
    const dataDir = path.join(dir, "postgres");
    // A data folder as earlier versions left it: the owner's password "catchment", no console role, no file.
    const first = await startEmbeddedPostgres({ dataDir, port: PORT });
    await query(first.url, "DROP ROLE catchment_console; ALTER ROLE catchment PASSWORD 'catchment'; CREATE TABLE kept (note text); INSERT INTO kept VALUES ('from before')");
    await first.stop();
    rmSync(`${dataDir}.passwords.json`);
    const legacyUrl = first.url.replace(/:[0-9a-f]{48}@/, ":catchment@");

    const postgres = await startEmbeddedPostgres({ dataDir, port: PORT });
    running.push(postgres);
    expect(await query(postgres.url, "SELECT note FROM kept")).toEqual([{ note: "from before" }]);
    expect(await query(postgres.consoleUrl, "SELECT current_user AS role")).toEqual([{ role: "catchment_console" }]);
    await expect(query(legacyUrl, "SELECT 1")).rejects.toThrow(/password authentication failed/);
  }, 120_000);

  it("refuses, saying what happened, a data folder whose passwords file was lost", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "catchment-embedded-pg-"));
    const dataDir = path.join(dir, "postgres");
    const first = await startEmbeddedPostgres({ dataDir, port: PORT });
    await first.stop();
    rmSync(`${dataDir}.passwords.json`);
    await expect(startEmbeddedPostgres({ dataDir, port: PORT })).rejects.toThrow(
      `the data folder's Postgres refuses the password in ${dataDir}.passwords.json: the passwords file was replaced or lost. Restore it from a backup, or remove the data folder`,
    );
  }, 120_000);
});
