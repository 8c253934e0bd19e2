import { createServer, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { HealthCheckConfig } from "../config";
import { startHealthMonitor } from "./monitor";

let stop: (() => void) | undefined;
afterEach(() => stop?.());

/** A port nothing listens on: a TCP check there fails at once (connection refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("startHealthMonitor", () => {
  it("runs a check at once, then after the interval its result handler gives each time", async () => {
    const check: HealthCheckConfig = { name: "svc", kind: "tcp", target: `127.0.0.1:${await closedPort()}`, intervalMs: 60_000, fastIntervalMs: 50, timeoutMs: 500, rise: 2, fall: 3 };
    const runs: boolean[] = [];
    // Three quick re-runs (as while falling), then the long interval (settled).
    stop = startHealthMonitor([check], async (_check, result) => {
      runs.push(result.ok);
      return { nextInMs: runs.length < 4 ? check.fastIntervalMs : check.intervalMs };
    });
    await vi.waitFor(() => expect(runs).toHaveLength(4), { timeout: 5000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs).toEqual([false, false, false, false]);
  });
});
