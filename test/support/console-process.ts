// Runs the console as a user does (`npm start`, i.e. scripts/start.ts) on its own ports and
// data folder, for start-up tests and benches.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { constants } from "node:os";

export type ConsoleProcess = {
  baseUrl: string;
  /** Everything the start script printed so far. */
  output: () => string;
  /** Stops it as Ctrl-C (the whole process group, with viaNpm) or a supervisor would; resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export type ConsoleOptions = {
  port: number;
  dataDir: string;
  pgPort: number;
  agentBasePort: number;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Start it exactly as a user types it, `npm start`, in its own process group (as a terminal does). */
  viaNpm?: boolean;
};

export function spawnConsole(options: ConsoleOptions): { child: ChildProcess; output: () => string } {
  const [command, args] = options.viaNpm ? ["npm", ["start"]] : [process.execPath, ["--import", "tsx", "scripts/start.ts"]];
  // Output goes to a file, as from a terminal: the processes of the group outlive npm's pipes.
  const logFile = path.join(options.dataDir, "console.log");
  mkdirSync(options.dataDir, { recursive: true });
  const log = openSync(logFile, "w");
  const child = spawn(command, args, {
    detached: options.viaNpm,
    env: {
      ...process.env,
      DATABASE_URL: "",
      PORT: String(options.port),
      CATCHMENT_DATA_DIR: options.dataDir,
      CATCHMENT_PG_PORT: String(options.pgPort),
      CATCHMENT_AGENT_BASE_PORT: String(options.agentBasePort),
      ...options.env,
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  return { child, output: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "") };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleProcess> {
  const { child, output } = spawnConsole(options);
  const baseUrl = `http://localhost:${options.port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 300_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited early:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the console did not start in time:\n${output()}`);
    const ok = await fetch(`${baseUrl}/signin`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    baseUrl,
    output,
    stop: async (signal = "SIGINT") => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        if (options.viaNpm) process.kill(-child.pid!, signal);
        else child.kill(signal);
        await exited;
      }
      // With npm, wait until every process of its group has ended, as a terminal would.
      for (let waited = 0; options.viaNpm && groupAlive(child.pid!) && waited < 30_000; waited += 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // As a shell reports it: 128 + the signal's number for a process the signal ended.
      return child.exitCode ?? (child.signalCode ? 128 + constants.signals[child.signalCode] : null);
    },
  };
}

/** Signs in through next-auth's credentials endpoint; returns the Cookie header to send. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const csrfResponse = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const csrfCookie = csrfResponse.headers.getSetCookie().map((c) => c.split(";")[0] ?? "").join("; ");
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }),
    redirect: "manual",
  });
  const session = response.headers.getSetCookie().map((c) => c.split(";")[0] ?? "").find((c) => c.includes("session-token"));
  if (!session) throw new Error(`sign-in as ${username} failed (${response.status})`);
  return session;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
