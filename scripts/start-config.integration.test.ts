// Issue 18: a bad configuration value stops `npm start` before anything starts, with one line
// naming the variable, instead of running with NaN.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd } from "@/test/support/run-to-end";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-config-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start with a bad variable", () => {
  it("exits 2 with one line naming each bad variable, and starts nothing", { timeout: 60_000 }, async () => {
    const run = await runToEnd(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...process.env, DATABASE_URL: "", CATCHMENT_DATA_DIR: dataDir, CATCHMENT_AGENT_TIMEOUT_MS: "abc", CATCHMENT_PG_PORT: "99999" },
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      'catchment: Configuration: CATCHMENT_PG_PORT="99999" must be at most 65535; CATCHMENT_AGENT_TIMEOUT_MS="abc" must be a whole number of milliseconds. See README.md, Configuration.',
    ]);
    // No Postgres was started in the data folder.
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
