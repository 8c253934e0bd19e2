import { rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signRequest } from "@/lib/agent-protocol/signing";
import { freePorts } from "@/test/support/agent-processes";
import { makeTempDir, startTestAgent, TEST_SECRET, type TestAgent } from "../test-helpers";
import { until } from "@/test/support/until";

// A real agent with a real TCP health check against a service on 127.0.0.1 that the test
// stops and starts again. The console is either not configured, or configured and down.

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let running: TestAgent | undefined;
let service: Server | undefined;

async function startService(port = 0): Promise<number> {
  service = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => service!.listen(port, "127.0.0.1", resolve));
  return (service.address() as AddressInfo).port;
}
const stopService = () => new Promise<void>((resolve) => (service ? service.close(() => resolve()) : resolve()));

beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await running?.agent.stop();
  running = undefined;
  await stopService();
  await temp.remove();
});

const fast = (port: number) => ({ name: "svc", kind: "tcp" as const, target: `127.0.0.1:${port}`, intervalMs: 100, timeoutMs: 80, rise: 2, fall: 2 });

async function status(agent: TestAgent) {
  const result = await agent.client.status();
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
const wire = (agent: TestAgent, prefix = "192.0.2.0/24") => status(agent).then((s) => s.announcements.find((a) => a.prefix === prefix)!);

describe("fail-soft health checks", () => {
  it("drains on failure without a console, never withdraws, and restores on recovery", async () => {
    const port = await startService();
    running = await startTestAgent(temp.dir, { overrides: { healthChecks: [fast(port)] } });
    const agent = running;
    expect((await until(() => status(agent), (s) => s.health[0]?.state === "up")).health[0]?.state).toBe("up");

    await stopService();
    const drained = await until(() => wire(agent), (a) => a.state === "drained");
    expect(drained).toMatchObject({ state: "drained", prepend: 3 });
    expect(drained.reason).toContain("health check svc down");
    // The speaker itself carries the drain; the route stays exported.
    expect((await agent.speaker.status()).routes.find((r) => r.prefix === "192.0.2.0/24")).toMatchObject({ state: "drained", prepend: 3 });
    // Long past fall and many intervals: still drained, never withdrawn.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await wire(agent)).state).toBe("drained");
    expect((await status(agent)).health[0]?.state).toBe("down");
    // The prefix the console withdrew stays withdrawn; nothing is announced anew.
    expect((await wire(agent, "198.51.100.0/24")).state).toBe("withdrawn");

    await startService(port);
    const restored = await until(() => wire(agent), (a) => a.state === "announced");
    expect(restored).toMatchObject({ state: "announced", prepend: 0 });
    expect((await status(agent)).health[0]?.state).toBe("up");
  });

  it("with the console configured but unreachable, stays drained and never withdraws", async () => {
    const port = await startService();
    const [deadConsole] = await freePorts(1);
    running = await startTestAgent(temp.dir, {
      overrides: { healthChecks: [fast(port)], console: { url: `http://127.0.0.1:${deadConsole}`, timeoutMs: 200, leaseRetryMs: 100 } },
    });
    const agent = running;
    await until(() => status(agent), (s) => s.health[0]?.state === "up");
    await stopService();
    expect((await until(() => wire(agent), (a) => a.state === "drained")).state).toBe("drained");
    // Many lease attempts fail meanwhile (retry every 100 ms): none withdraws.
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await wire(agent)).state).toBe("drained");
    }
    expect(agent.agent.control.consoleError).toContain("unreachable");
  });

  it("a console drain while unhealthy keeps the deeper prepend; its restore leaves the failed check's drain in force", async () => {
    const port = await startService();
    running = await startTestAgent(temp.dir, { overrides: { healthChecks: [fast(port)] } });
    const agent = running;
    await until(() => status(agent), (s) => s.health[0]?.state === "up");
    await stopService();
    await until(() => wire(agent), (a) => a.state === "drained");
    const deeper = await agent.client.putAnnouncement({ prefix: "192.0.2.0/24", state: "drained", prepend: 6, reason: "op", operationId: "op-1" });
    expect(deeper.ok && [deeper.value.state, deeper.value.prepend]).toEqual(["drained", 6]);
    const restore = await agent.client.putAnnouncement({ prefix: "192.0.2.0/24", state: "announced", reason: "op", operationId: "op-2" });
    // The answer says what is on the wire: still drained by the failed check.
    expect(restore.ok && [restore.value.state, restore.value.prepend]).toEqual(["drained", 3]);
    await startService(port);
    expect((await until(() => wire(agent), (a) => a.state === "announced")).state).toBe("announced");
  });
});

describe("maintenance mode", () => {
  it("by the maintenance file: drains while it exists, restores once it is gone", async () => {
    const file = path.join(temp.dir, "maintenance");
    running = await startTestAgent(temp.dir, { overrides: { maintenanceFile: file } });
    const agent = running;
    expect((await wire(agent)).state).toBe("announced");
    await writeFile(file, "");
    const drained = await until(() => wire(agent), (a) => a.state === "drained", 4000);
    expect(drained.state).toBe("drained");
    expect(drained.reason).toContain("maintenance");
    expect((await status(agent)).maintenance).toBe(true);
    await rm(file);
    expect((await until(() => wire(agent), (a) => a.state === "announced", 4000)).state).toBe("announced");
    expect((await status(agent)).maintenance).toBe(false);
  });

  it("by the signed API: drains, survives a restart, and leaving it restores", async () => {
    running = await startTestAgent(temp.dir);
    const put = async (body: unknown, secret = TEST_SECRET) => {
      const text = JSON.stringify(body);
      const response = await fetch(`${running!.agent.url}/v1/maintenance`, {
        method: "PUT",
        body: text,
        headers: { "content-type": "application/json", authorization: signRequest({ secret, method: "PUT", path: "/v1/maintenance", body: text }) },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await put({ enabled: true }, "another-secret-0123456789")).status).toBe(401);
    expect((await wire(running)).state).toBe("announced");
    const on = await put({ enabled: true, reason: "CHG-42 line card swap" });
    expect(on).toMatchObject({ status: 200, body: { enabled: true, byApi: true, byFile: false, reason: "CHG-42 line card swap" } });
    expect(await wire(running)).toMatchObject({ state: "drained", prepend: 3 });
    // The withdrawn prefix stays withdrawn: maintenance never announces anything anew.
    expect((await wire(running, "198.51.100.0/24")).state).toBe("withdrawn");

    await running.agent.stop();
    running = await startTestAgent(temp.dir);
    expect(await wire(running)).toMatchObject({ state: "drained", prepend: 3 });
    expect((await status(running)).maintenance).toBe(true);

    expect((await put({ enabled: false })).body).toMatchObject({ enabled: false });
    expect(await wire(running)).toMatchObject({ state: "announced", prepend: 0 });
  });
});
