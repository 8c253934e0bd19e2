// Issue #14, point 12: a page whose database is down says so in the console's own words (and
// shows nothing of the server's error), and GET /api/health tells whether the database answers.
// Runs the console as a user does, then stops its embedded Postgres under it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startConsole, type ConsoleProcess } from "@/test/support/console-process";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "@/test/support/chromium";
import { until } from "@/test/support/until";

const PORT = 4120;

let dataDir: string;
let running: ConsoleProcess | undefined;
let browser: Browser | undefined;

function stopPostgres() {
  const pid = Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  // SIGINT: Postgres's fast shutdown, as when its server goes down under the console.
  process.kill(pid, "SIGINT");
}

describe("the console with its database down", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-db-down-"));
    running = await startConsole({ port: PORT, pgPort: PORT + 1, agentBasePort: PORT + 2, dataDir, env: { CATCHMENT_SIMULATOR: "off" } });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("health says ok, then unreachable; the pages say the database does not answer and nothing of the error", { timeout: 120_000 }, async () => {
    const health = await fetch(`${running!.baseUrl}/api/health`);
    expect([health.status, await health.json()]).toEqual([200, { database: "ok" }]);
    const cookie = await signIn(running!.baseUrl, "viewer", "catchment-viewer");

    stopPostgres();
    const down = await until(
      async () => {
        const response = await fetch(`${running!.baseUrl}/api/health`);
        return [response.status, await response.json()];
      },
      ([status]) => status === 503,
      30_000,
    );
    expect(down).toEqual([503, { database: "unreachable" }]);

    const context = await browser!.newContext({ baseURL: running!.baseUrl });
    try {
      const [name, value] = cookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url: running!.baseUrl }]);
      const page = await context.newPage();
      for (const pagePath of ["/pops", "/signin"]) {
        await page.goto(pagePath);
        await page.getByRole("heading", { name: "This page could not load" }).waitFor();
        await page.getByText("The console's database does not answer.", { exact: false }).waitFor();
        const text = await page.locator("body").innerText();
        expect(text).toMatch(/Reference in the server's log: \S+/);
        expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|prisma|postgres:\/\//i);
      }
    } finally {
      await context.close();
    }
  });
});
