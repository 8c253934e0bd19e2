import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { agentConfigFile, makeTempDir } from "@/agent/test-helpers";

const ROOT = path.resolve(import.meta.dirname, "..");

let temp: Awaited<ReturnType<typeof makeTempDir>>;
const started: number[] = [];

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, "SIGKILL");
  await temp.remove();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a stand-in for `npm start`: a process that starts `args` with spawnChild, prints the
 * child's pid, and then, with `dieAtOnce`, kills itself outright before the child has loaded.
 * The child's output comes out with the parent's.
 */
function startParent(args: string[], env: Record<string, string | undefined>, dieAtOnce = false) {
  const code = `Promise.all([import("./scripts/spawn-child.ts"), import("node:fs")]).then(([{ spawnChild }, fs]) => {
    const child = spawnChild(${JSON.stringify(args)}, ${JSON.stringify(env)});
    // Written at once: a parent about to be SIGKILLed cannot wait for a pipe to drain.
    fs.writeSync(1, "pid " + child.pid + "\\n");
    ${dieAtOnce ? 'process.kill(process.pid, "SIGKILL");' : "setInterval(() => {}, 1000);"}
  });`;
  const parent = spawn(process.execPath, ["--import", "tsx", "-e", code], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  // Listened for from the start: a parent that kills itself may be gone before the test asks.
  const exited = new Promise((resolve) => parent.once("exit", resolve));
  let stdout = "";
  parent.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const childPid = async () => {
    await vi.waitFor(() => expect(stdout).toMatch(/^pid \d+$/m), { timeout: 15_000 });
    const pid = Number(/^pid (\d+)$/m.exec(stdout)![1]);
    started.push(pid);
    return pid;
  };
  return { parent, exited, childPid, output: () => stdout };
}

describe("spawnChild", () => {
  it("the demo agents stop, in order, when the process that started them is killed outright", async () => {
    const file = path.join(temp.dir, "fleet.json");
    await writeFile(file, JSON.stringify({ agents: [agentConfigFile(temp.dir, { pop: "AMS1", stateFile: "AMS1.json" })] }));
    const { parent, childPid, output } = startParent(["--import", "tsx", "agent/sim-fleet.ts", "--config", file], { PATH: process.env.PATH, LOG_LEVEL: "warn" });
    const pid = await childPid();
    await vi.waitFor(() => expect(output()).toMatch(/^agent fleet: 1 agents listening/m), { timeout: 15_000 });
    expect(alive(pid)).toBe(true);

    parent.kill("SIGKILL");
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 15_000, interval: 200 });
  }, 40_000);

  it("a child whose parent was killed before it finished loading stops too", async () => {
    const { exited, childPid } = startParent(["-e", "setInterval(() => {}, 1000)"], { PATH: process.env.PATH }, true);
    const pid = await childPid();
    await exited;
    await vi.waitFor(() => expect(alive(pid)).toBe(false), { timeout: 10_000, interval: 200 });
  }, 30_000);

  it("a child whose parent runs on keeps running", async () => {
    const { parent, childPid } = startParent(["-e", "setInterval(() => {}, 1000)"], { PATH: process.env.PATH });
    try {
      const pid = await childPid();
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(alive(pid)).toBe(true);
    } finally {
      parent.kill("SIGKILL");
    }
  }, 30_000);
});
