// Real PoP agents in a child process (agent/sim-fleet.ts), and misbehaving stand-ins, for
// integration tests that go from the console over HTTP to agents.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** `count` distinct ports free right now on loopback (all held open while choosing, so none repeats). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export type FleetAgent = { pop: string; port: number; secret: string; prefixes: string[]; applyDelayMs?: number };

/** Starts `agent/sim-fleet.ts` as a child process serving these agents; resolves once they listen. */
export async function startAgentProcess(agents: FleetAgent[]): Promise<{ stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-agents-"));
  const file = path.join(dir, "fleet.json");
  writeFileSync(
    file,
    JSON.stringify({
      agents: agents.map((agent) => ({
        pop: agent.pop,
        listen: { host: "127.0.0.1", port: agent.port },
        secret: agent.secret,
        stateFile: `${agent.pop.toLowerCase()}.state.json`,
        prefixes: agent.prefixes.map((prefix) => ({ prefix })),
        speaker: { driver: "sim", asn: 64500, upstreams: [{ name: "transit", peerAsn: 64496, peerAddress: "192.0.2.254" }], ...(agent.applyDelayMs ? { applyDelayMs: agent.applyDelayMs } : {}) },
      })),
    }),
  );
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("agent/sim-fleet.ts"), "--config", file], {
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agents did not start:\n${output}`)), 20_000);
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (output.includes("agents listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`agents exited (${code}):\n${output}`));
    });
  });
  return {
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An agent that accepts connections and never answers: a hung PoP. */
export async function startHungAgent(port: number): Promise<{ stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
