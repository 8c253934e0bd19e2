// Runs the console as a user does (`npm start`, i.e. scripts/start.ts) on its own ports and
// data folder, for start-up tests and benches.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { constants } from "node:os";
import { assertPortsFree, type WantedPort } from "./ports";

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

// lib/demo/fleet.ts DEFAULT_POP_COUNT: the demo agents listen from agentBasePort up.
const DEMO_AGENTS = 20;

/** Every port a console started with these options listens on. */
export function consolePorts(options: Pick<ConsoleOptions, "port" | "pgPort" | "agentBasePort">): WantedPort[] {
  return [
    { port: options.port, use: "the console's HTTP server" },
    { port: options.pgPort, use: "the console's embedded Postgres" },
    ...Array.from({ length: DEMO_AGENTS }, (_, index) => ({ port: options.agentBasePort + index, use: `demo agent ${index + 1} of ${DEMO_AGENTS}` })),
  ];
}

export class ConsoleStartError extends Error {
  constructor(
    message: string,
    /** The process (with viaNpm, the process group) that was started, and is stopped by now. */
    readonly pid: number | undefined,
  ) {
    super(message);
    this.name = "ConsoleStartError";
  }
}

// Consoles started and not yet stopped. If the test process ends without stopping one (a
// test failed before its cleanup ran), SIGTERM it: it then stops its server, agents and
// Postgres on its own, as on Ctrl-C.
const running = new Set<{ child: ChildProcess; viaNpm: boolean }>();
process.once("exit", () => {
  for (const { child, viaNpm } of running) {
    try {
      if (viaNpm) process.kill(-child.pid!, "SIGTERM");
      else child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
  }
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a console and waits until it answers. Refuses at once, starting nothing, when another
 * program holds one of its ports; a console that does not come up is stopped before this throws.
 */
export async function startConsole(options: ConsoleOptions): Promise<ConsoleProcess> {
  await assertPortsFree(consolePorts(options));
  const { child, output } = spawnConsole(options);
  const entry = { child, viaNpm: options.viaNpm === true };
  running.add(entry);
  const baseUrl = `http://localhost:${options.port}`;

  const stop = async (signal: NodeJS.Signals = "SIGINT") => {
    const childRunning = child.exitCode === null && child.signalCode === null;
    const exited = childRunning ? once(child, "exit") : Promise.resolve();
    // With npm, its group: what npm started may outlive npm itself (a start that failed).
    if (options.viaNpm ? groupAlive(child.pid!) : childRunning) {
      if (options.viaNpm) process.kill(-child.pid!, signal);
      else child.kill(signal);
    }
    await exited;
    // With npm, wait until every process of its group has ended, as a terminal would.
    for (let waited = 0; options.viaNpm && groupAlive(child.pid!) && waited < 30_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    running.delete(entry);
    // As a shell reports it: 128 + the signal's number for a process the signal ended.
    return child.exitCode ?? (child.signalCode ? 128 + constants.signals[child.signalCode] : null);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 300_000);
  for (;;) {
    const failure = child.exitCode !== null ? "exited early" : Date.now() > deadline ? "did not start in time" : null;
    if (failure) {
      await stop("SIGTERM");
      throw new ConsoleStartError(`the console ${failure}:\n${output()}`, child.pid);
    }
    const ok = await fetch(`${baseUrl}/signin`).then((r) => r.ok).catch(() => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { baseUrl, output, stop };
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

/** How long a signed-in GET of `url` takes, body included, in ms; a failed answer throws. */
export async function timeRequest(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie } });
  await response.text();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return performance.now() - started;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
