import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./test/support/chromium";

// End-to-end tests in Debian's Chromium against the console started exactly as a user
// starts it (`npm start`), on its own port and a fresh embedded Postgres.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const PG_PORT = process.env.E2E_PG_PORT ?? "25439";
const AGENT_BASE_PORT = process.env.E2E_AGENT_BASE_PORT ?? "23300";
export const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { outputFolder: "playwright-report", open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    // Playwright refuses a URL that already answers (reuseExistingServer: false); the check
    // refuses any other program on the console's, Postgres's or the agents' ports, at once.
    command: `node --import tsx test/support/check-console-ports.ts ${PORT} ${PG_PORT} ${AGENT_BASE_PORT} && rm -rf .data/e2e && npm start`,
    url: `${baseURL}/signin`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      PORT: String(PORT),
      CATCHMENT_DATA_DIR: ".data/e2e",
      CATCHMENT_PG_PORT: PG_PORT,
      CATCHMENT_AGENT_BASE_PORT: AGENT_BASE_PORT,
      // Drift shows up within seconds in the tests.
      CATCHMENT_POLL_INTERVAL_MS: "2000",
      // Every probe re-measures within 20 s, so a drain shows on the map well within a minute.
      CATCHMENT_SIM_CYCLE_MS: "20000",
      CATCHMENT_SIM_TICK_MS: "2000",
      // ...and an operation's prediction is checked against them 25 s after it.
      CATCHMENT_SETTLE_SECONDS: "25",
      DATABASE_URL: "",
    },
  },
});
