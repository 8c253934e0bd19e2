import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Server } from "node:net";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAgentClient } from "@/lib/agent-protocol/client";
import { describeListeners, FleetStartError, loadFleetConfig, startAgentFleet } from "./sim-fleet";
import { agentConfig, agentConfigFile, makeTempDir, silentLogger, TEST_SECRET } from "./test-helpers";

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(0, "127.0.0.1", () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

const fleetConfigs = (pops: string[]) =>
  pops.map((pop) => agentConfig(temp.dir, { pop, stateFile: path.join(temp.dir, `${pop}.json`) }));

describe("startAgentFleet", () => {
  it("serves three simulated PoPs on distinct ports in one process, and stops them all", async () => {
    const fleet = await startAgentFleet(fleetConfigs(["AMS1", "FRA1", "SIN1"]), { logger: silentLogger() });
    const ports = fleet.agents.map((agent) => agent.port);
    expect(new Set(ports).size).toBe(3);

    const clients = fleet.agents.map((agent) => createAgentClient({ url: agent.url, secret: TEST_SECRET, timeoutMs: 1000 }));
    const statuses = await Promise.all(clients.map((client) => client.status()));
    expect(statuses.map((status) => status.ok && status.value.pop)).toEqual(["AMS1", "FRA1", "SIN1"]);

    // Each PoP is its own agent: draining one leaves the others announced.
    await clients[0]!.putAnnouncement({ prefix: "192.0.2.0/24", state: "drained", prepend: 3, reason: "test", operationId: "op-1" });
    const after = await Promise.all(clients.map((client) => client.status()));
    expect(after.map((status) => status.ok && status.value.announcements[0]?.state)).toEqual(["drained", "announced", "announced"]);

    await fleet.stop();
    const stopped = await Promise.all(clients.map((client) => client.status()));
    expect(stopped.map((status) => !status.ok && status.error.code)).toEqual(["unreachable", "unreachable", "unreachable"]);
  });

  it("starts all agents or none: a failure stops those already listening", async () => {
    const [ams, fra] = fleetConfigs(["AMS1", "FRA1"]);
    const ports = await freePorts(2);
    const started = [ams!, fra!].map((config, index) => ({ ...config, listen: { host: "127.0.0.1", port: ports[index]! } }));
    const broken = agentConfig(temp.dir, { pop: "SIN1", stateFile: path.join(temp.dir, "SIN1.json"), speaker: { driver: "exabgp" } });
    const attempt = startAgentFleet([...started, broken], { logger: silentLogger() });
    await expect(attempt).rejects.toThrow(FleetStartError);
    await expect(attempt).rejects.toThrow("agent SIN1 did not start: driver exabgp is not available in this build yet");
    const probes = await Promise.all(ports.map((port) => createAgentClient({ url: `http://127.0.0.1:${port}`, secret: TEST_SECRET }).status()));
    expect(probes.map((probe) => !probe.ok && probe.error.code)).toEqual(["unreachable", "unreachable"]);
  });

  it("refuses two agents sharing a PoP code, a state file or a port", async () => {
    const [ams, fra] = fleetConfigs(["AMS1", "FRA1"]);
    const clash = { ...fra!, pop: "AMS1", stateFile: ams!.stateFile, listen: { host: "127.0.0.1", port: 7101 } };
    const attempt = startAgentFleet([{ ...ams!, listen: { host: "127.0.0.1", port: 7101 } }, clash], { logger: silentLogger() });
    await expect(attempt).rejects.toMatchObject({
      problems: [
        "agents[1].pop: same pop AMS1 as agents[0]",
        `agents[1].stateFile: same stateFile ${ams!.stateFile} as agents[0]`,
        "agents[1].listen: same listen 127.0.0.1:7101 as agents[0]",
      ],
    });
  });
});

describe("npm run agent:fleet", () => {
  it("prints one line when all agents listen, serves them, and exits 0 on SIGTERM", async () => {
    const file = path.join(temp.dir, "fleet.json");
    const agents = ["AMS1", "FRA1", "SIN1"].map((pop) => agentConfigFile(temp.dir, { pop, stateFile: `${pop}.json` }));
    await writeFile(file, JSON.stringify({ agents }));
    const child = spawn(process.execPath, ["--import", "tsx", "agent/sim-fleet.ts", "--config", file], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, LOG_LEVEL: "warn" },
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    let stdout = "";
    const line = await new Promise<string>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const found = /^agent fleet: .*$/m.exec(stdout);
        if (found) resolve(found[0]);
      });
      child.on("close", () => resolve(stdout));
    });
    const match = /^agent fleet: 3 agents listening on (.+)$/.exec(line);
    expect(match, `stdout: ${stdout}`).not.toBeNull();
    const ports = [...match![1]!.matchAll(/127\.0\.0\.1:(\d+)/g)].map((found) => Number(found[1]));
    const statuses = await Promise.all(ports.map((port) => createAgentClient({ url: `http://127.0.0.1:${port}`, secret: TEST_SECRET }).status()));
    expect(statuses.map((status) => status.ok && status.value.pop).sort()).toEqual(["AMS1", "FRA1", "SIN1"]);

    const exitCode = new Promise((resolve) => child.on("close", resolve));
    child.kill("SIGTERM");
    expect(await exitCode).toBe(0);
    clearTimeout(killer);
  });
});

describe("loadFleetConfig", () => {
  it("reads every agent and reports problems with their place in the file", async () => {
    const file = path.join(temp.dir, "fleet.json");
    const good = agentConfigFile(temp.dir, { stateFile: "ams1.json" });
    await writeFile(file, JSON.stringify({ agents: [good, { ...good, pop: "FRA 1", listen: { port: 70000 } }] }));
    expect(loadFleetConfig(file)).toEqual({
      ok: false,
      problems: [
        `${file}: agents[1].pop: a PoP code such as AMS1 (letters, digits, - and _)`,
        `${file}: agents[1].listen.port: Too big: expected number to be <=65535`,
      ],
    });
    await writeFile(file, JSON.stringify({ agents: [good] }));
    expect(loadFleetConfig(file)).toMatchObject({ ok: true, config: [{ pop: "AMS1", stateFile: path.join(temp.dir, "ams1.json") }] });
  });
});

describe("describeListeners", () => {
  it("prints a port range when the ports run on, and each listener otherwise", () => {
    const at = (port: number, host = "127.0.0.1") => ({ host, port });
    expect(describeListeners([at(7103), at(7101), at(7102)])).toBe("127.0.0.1:7101-7103");
    expect(describeListeners([at(7101), at(7105)])).toBe("127.0.0.1:7101, 127.0.0.1:7105");
    expect(describeListeners([at(7101), at(7102, "0.0.0.0")])).toBe("127.0.0.1:7101, 0.0.0.0:7102");
  });
});
