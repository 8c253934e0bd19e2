// The lab's processes: every one started with a PID file under the run folder, found by it and
// stopped by it, never by process name. A PID counts as the lab's only while its command line
// names the run folder, so a recycled PID is never signalled.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { LabInfo } from "./lab";

export const REPO = path.resolve(import.meta.dirname, "..");

/** Runs a command and returns its output; throws with its error output unless `allowFail`. */
export function sh(command: string, args: string[], { allowFail = false } = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0 && !allowFail) throw new Error(`${command} ${args.join(" ")} failed: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}
export const nsExec = (ns: string, ...args: string[]) => sh("ip", ["netns", "exec", ns, ...args]);


export function pidDir(runDir: string) {
  return path.join(runDir, "pids");
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** True when pid is alive and its command line mentions the run folder (so never a recycled PID). */
export function ours(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(runDir);
  } catch {
    return false;
  }
}

/** Starts a long-running process (optionally inside a namespace), detached, with a PID file. */
export function startProcess(runDir: string, name: string, argv: string[], ns?: string): number {
  const logFile = path.join(runDir, "logs", `${name}.log`);
  const out = openSync(logFile, "a");
  const [command, ...args] = ns ? ["ip", "netns", "exec", ns, ...argv] : argv;
  // `ip netns exec` execs the command: the PID is the daemon's own.
  const child = spawn(command!, args, { cwd: REPO, detached: true, stdio: ["ignore", out, out], env: { ...process.env, LOG_LEVEL: process.env.LAB_LOG_LEVEL ?? "warn" } });
  closeSync(out);
  child.unref();
  writeFileSync(path.join(pidDir(runDir), `${name}.pid`), `${child.pid}\n`);
  return child.pid!;
}

export function startBird(runDir: string, name: string, ns: string, dir: string): void {
  const socket = path.join(dir, "bird.ctl");
  const pidFile = path.join(pidDir(runDir), `${name}.pid`);
  rmSync(socket, { force: true });
  nsExec(ns, "bird", "-s", socket, "-P", pidFile, "-c", path.join(dir, "bird.conf"));
}

/** Restarts one PoP's BIRD after it was killed (the kill -9 test brings it back). */
export function restartPopBird(info: LabInfo, popIndex: number): void {
  const pop = info.pops.find((candidate) => candidate.index === popIndex)!;
  startBird(info.runDir, `bird-pop${popIndex}`, pop.namespace, path.join(info.runDir, `pop${popIndex}`));
}

/** The PID of one lab process by its PID-file name (bird-pop1, agent-pop2, ...), if it runs. */
export function labPid(info: LabInfo, name: string): number | null {
  const pid = readPid(path.join(pidDir(info.runDir), `${name}.pid`));
  return pid !== null && ours(pid, info.runDir) ? pid : null;
}

/** Polls `check` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`lab: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Stops every process the run folder's PID files name: SIGTERM, then SIGKILL after 5 s. */
export async function stopProcesses(runDir: string): Promise<void> {
  const pids: number[] = [];
  if (existsSync(pidDir(runDir))) {
    for (const file of readdirSync(pidDir(runDir))) {
      const pid = readPid(path.join(pidDir(runDir), file));
      if (pid !== null && ours(pid, runDir)) pids.push(pid);
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some((pid) => ours(pid, runDir)) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter((candidate) => ours(candidate, runDir))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  rmSync(pidDir(runDir), { recursive: true, force: true });
}

/** The run folder's processes still alive (any, not only those with a PID file). */
export function ourProcesses(runDir: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && ours(pid, runDir));
}

/** Every PID file of the run folder names a live process of ours, and there are `expected` of them. */
export function allRunning(runDir: string, expected: number): boolean {
  const files = existsSync(pidDir(runDir)) ? readdirSync(pidDir(runDir)) : [];
  return (
    files.length === expected &&
    files.every((file) => {
      const pid = readPid(path.join(pidDir(runDir), file));
      return pid !== null && ours(pid, runDir);
    })
  );
}
