// Issue #14, point 19: the terminal of `npm start` tells an operator what happens. One log line,
// from the console's server, per operation refused, sign-in failure and ingest batch, with the
// event's name and a sentence; never a password.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "@/lib/demo/users";
import { signIn, startConsole, type ConsoleProcess } from "@/test/support/console-process";
import { until } from "@/test/support/until";

const PORT = 4160;
const WRONG_PASSWORD = "not-the-viewer-password";

let dataDir: string;
let running: ConsoleProcess | undefined;

type LogLine = { event?: string; msg?: string };

/** The console server's JSON log lines among everything the start printed (not a terminal here). */
function logLines(): LogLine[] {
  return running!
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

describe("the console's terminal", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-terminal-"));
    // As root, the embedded Postgres runs as user postgres, which must get through to its data folder.
    chmodSync(dataDir, 0o755);
    running = await startConsole({
      port: PORT,
      pgPort: PORT + 1,
      agentBasePort: PORT + 10,
      dataDir,
      // As a user starts it: the integration project runs with LOG_LEVEL=error.
      env: { CATCHMENT_SIMULATOR: "off", LOG_LEVEL: "info" },
    });
  }, 400_000);

  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("prints a line for a failed sign-in, a refused operation and an ingest batch", { timeout: 120_000 }, async () => {
    const baseUrl = running!.baseUrl;
    // The start prints the demo sign-ins; what comes after must name no password.
    const printedAtStart = running!.output().length;
    await expect(signIn(baseUrl, "viewer", WRONG_PASSWORD)).rejects.toThrow(/sign-in as viewer failed/);

    const operator = DEMO_USERS.find((user) => user.role === "operator")!;
    const cookie = await signIn(baseUrl, operator.username, operator.password);
    const headers = { cookie, origin: baseUrl };
    const everyPop = await fetch(`${baseUrl}/api/v1/operations`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ kind: "drain", popCodes: "AKL1 AMS1 BOM1 CDG1 DFW1 DXB1 FRA1 GRU1 HKG1 IAD1 JNB1 LAX1 LHR1 LOS1 NRT1 ORD1 SCL1 SEA1 SIN1 SYD1", reason: "terminal check: every PoP at once" }),
    });
    expect(everyPop.status).toBe(422);

    const batch = `${JSON.stringify({ probe_id: "terminal-1", lat: 52.37, lon: 4.89, pop: "AMS1", rtt_ms: 4, timestamp: Math.floor(Date.now() / 1000) })}\n`;
    const ingest = await fetch(`${baseUrl}/api/v1/measurements?format=ndjson&prefix=192.0.2.0/24`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/x-ndjson" },
      body: batch,
    });
    expect([200, 422]).toContain(ingest.status);

    const events = await until(
      async () => logLines(),
      (lines) => ["auth.sign_in_failed", "operation.refused"].every((event) => lines.some((line) => line.event === event)) && lines.some((line) => line.event?.startsWith("ingest.")),
      30_000,
    );
    const names = events.map((line) => line.event);
    expect(names).toContain("auth.sign_in_failed");
    expect(names).toContain("operation.refused");
    expect(names.some((name) => name?.startsWith("ingest."))).toBe(true);
    for (const event of ["auth.sign_in_failed", "operation.refused"]) {
      const line = events.find((candidate) => candidate.event === event)!;
      expect(line.msg, `${event} has a sentence for the operator`).toMatch(/\w+ \w+/);
    }
    const printedSince = running!.output().slice(printedAtStart);
    expect(printedSince).not.toContain(WRONG_PASSWORD);
    expect(printedSince).not.toContain(operator.password);
  });
});
