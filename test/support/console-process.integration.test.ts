// A test that starts a console must know the console it reaches is its own (a lab test once
// reached another console on its port and failed far from the cause), and must leave nothing
// running when the console does not come up.
import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_POP_COUNT } from "@/lib/demo/fleet";
import { startLabConsole } from "@/lab/harness";
import { ConsoleStartError, consolePorts, startConsole } from "./console-process";
import { PortInUseError } from "./ports";

const ports = { port: 4820, pgPort: 4821, agentBasePort: 4830 };
const dirs: string[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir() {
  const parent = mkdtempSync(path.join(os.tmpdir(), "catchment-console-process-"));
  // As root, the embedded Postgres runs as user postgres, which must get through to its data folder.
  chmodSync(parent, 0o755);
  const dir = path.join(parent, "data");
  dirs.push(parent);
  return dir;
}

async function occupy(port: number, host = "127.0.0.1") {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
}

function groupAlive(pgid: number) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startConsole", () => {
  it("knows every port the console will listen on, the demo agents' included", () => {
    expect(consolePorts(ports).map((wanted) => wanted.port)).toEqual([4820, 4821, ...Array.from({ length: DEFAULT_POP_COUNT }, (_, index) => 4830 + index)]);
  });

  it.each([
    ["HTTP", ports.port, "the console's HTTP server"],
    ["Postgres", ports.pgPort, "the console's embedded Postgres"],
    ["agent", ports.agentBasePort + 7, "demo agent 8 of 20"],
  ])("fails at once, starting nothing, when another program holds its %s port", async (_kind, port, use) => {
    await occupy(port);
    const dir = dataDir();
    const started = startConsole({ ...ports, dataDir: dir });
    await expect(started).rejects.toBeInstanceOf(PortInUseError);
    await expect(started).rejects.toThrow(new RegExp(`^port ${port} is already in use by another program: .+ \\(pid ${process.pid}\\) \\(wanted for ${use}\\)`));
    expect(existsSync(dir)).toBe(false);
  });

  it("stops the console it started when that console does not come up in time", async () => {
    const started = startConsole({ ...ports, dataDir: dataDir(), viaNpm: true, readyTimeoutMs: 1000 });
    const error = await started.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConsoleStartError);
    expect((error as ConsoleStartError).message).toMatch(/^the console did not start in time/);
    const pid = (error as ConsoleStartError).pid!;
    expect(groupAlive(pid)).toBe(false);
  });

  it("in the lab harness, fails before the lab is built when another program holds the console's port", async () => {
    await occupy(ports.port);
    const runDir = dataDir();
    await expect(startLabConsole({ instance: 9, port: ports.port, pgPort: ports.pgPort, runDir, dataDir: dataDir() })).rejects.toThrow(
      `port ${ports.port} is already in use by another program`,
    );
    expect(existsSync(runDir)).toBe(false);
  });
});
