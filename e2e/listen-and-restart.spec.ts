// `npm start` serves on loopback only unless HOST says otherwise, and says so (point 6 of
// issue #14); the demo agents' process dying is restarted while the console serves on, and
// the console's server dying still stops everything (point 13). Its own console, after the
// web server of this suite has built the app.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAgentClient } from "../lib/agent-protocol/client";
import { startConsole, type ConsoleProcess } from "../test/support/console-process";
import { expect, test } from "./support/fixtures";

test.describe.configure({ mode: "serial", timeout: 240_000 });

// Beside the suite's web server's ports (playwright.config.ts) and the SSO test's (oidc.spec.ts).
const suite = {
  port: Number(process.env.E2E_PORT ?? 3100),
  pgPort: Number(process.env.E2E_PG_PORT ?? 25439),
  agentBasePort: Number(process.env.E2E_AGENT_BASE_PORT ?? 23300),
};
const OPTIONS = { port: suite.port + 3, pgPort: suite.pgPort + 3, agentBasePort: suite.agentBasePort + 50 };

let dataDir: string;
let console_: ConsoleProcess | undefined;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-listen-"));
  console_ = await startConsole({ ...OPTIONS, dataDir, env: { HOST: "", CATCHMENT_SIMULATOR: "off" } });
});

test.afterAll(async () => {
  await console_?.stop("SIGINT");
  rmSync(dataDir, { recursive: true, force: true });
});

/** The local addresses listening on `port`, as the kernel lists them (hex, as in /proc/net/tcp{,6}). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // Field 1: local address:port; field 3: state, 0A = LISTEN.
      .filter((fields) => fields[3] === "0A" && fields[1]?.endsWith(`:${hexPort}`))
      .map((fields) => fields[1]!.split(":")[0]!),
  );
}

const LOOPBACK = new Set(["0100007F", "00000000000000000000000001000000"]);

/** The pids of processes whose command line (and environment, if given) hold every one of `parts`. */
function pidsRunning(parts: string[], environment: string[] = []): number[] {
  const has = (pid: string, file: string, wanted: string[]) => {
    const items = readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0");
    return wanted.every((part) => items.some((item) => item.includes(part)));
  };
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return has(pid, "cmdline", parts) && has(pid, "environ", environment);
      } catch {
        return false;
      }
    })
    .map(Number);
}

test("the console listens on loopback only, and says so at start", async () => {
  const addresses = listeningAddresses(OPTIONS.port);
  expect(addresses.length).toBeGreaterThan(0);
  expect(addresses.filter((address) => !LOOPBACK.has(address))).toEqual([]);
  expect(console_!.output()).toContain("catchment: listening on 127.0.0.1 only; set HOST=0.0.0.0 to serve others.");
  // As Playwright and an operator's browser reach it.
  expect((await fetch(`http://localhost:${OPTIONS.port}/signin`)).status).toBe(200);
});

test("the demo agents' process killed is started again while the console serves on", async () => {
  const config = path.join(dataDir, "agents", "fleet.json");
  const [agents] = pidsRunning(["agent/sim-fleet.ts", config]);
  expect(agents).toBeDefined();
  const { agents: fleet } = JSON.parse(readFileSync(config, "utf8")) as { agents: { pop: string; listen: { host: string; port: number }; secret: string }[] };
  const ams1 = fleet.find((agent) => agent.pop === "AMS1")!;
  const client = createAgentClient({ url: `http://${ams1.listen.host}:${ams1.listen.port}`, secret: ams1.secret, timeoutMs: 2000 });

  process.kill(agents!, "SIGKILL");
  await expect.poll(() => console_!.output(), { timeout: 10_000 }).toContain("catchment: the demo PoP agents exited (SIGKILL); restarting in");
  expect((await fetch(`${console_!.baseUrl}/signin`)).status).toBe(200);

  await expect.poll(() => console_!.output(), { timeout: 30_000 }).toContain("catchment: the demo PoP agents restarted.");
  await expect.poll(async () => (await client.status()).ok, { timeout: 30_000 }).toBe(true);
  expect(pidsRunning(["agent/sim-fleet.ts", config])).not.toContain(agents);
  expect((await fetch(`${console_!.baseUrl}/signin`)).status).toBe(200);
});

test("the console's server killed stops everything: the agents and Postgres too", async () => {
  const [server] = pidsRunning(["next-server"], [`CATCHMENT_DATA_DIR=${dataDir}`]);
  expect(server).toBeDefined();
  process.kill(server!, "SIGKILL");
  await expect.poll(() => console_!.output(), { timeout: 30_000 }).toContain("catchment: Postgres stopped.");
  expect(console_!.output()).toContain("catchment: next start exited (SIGKILL); stopping.");
  expect(await console_!.stop()).toBe(1);
  expect(pidsRunning(["agent/sim-fleet.ts", path.join(dataDir, "agents", "fleet.json")])).toEqual([]);
});
