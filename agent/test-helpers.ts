import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";
import { createAgentClient, type AgentClient } from "@/lib/agent-protocol/client";
import type { Clock } from "./clock";
import { resolveAgentConfig, type AgentConfig, type AgentConfigFile } from "./config";
import { SimSpeaker } from "./speakers/sim";
import { startAgent, type RunningAgent } from "./start-agent";

export const TEST_SECRET = "test-secret-4f1c9a7e2b";

/** A fresh temp folder per test, removed afterwards. */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "catchment-agent-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function agentConfigFile(dir: string, overrides: Partial<AgentConfigFile> = {}): AgentConfigFile {
  return {
    pop: "AMS1",
    listen: { host: "127.0.0.1", port: 0 },
    secret: TEST_SECRET,
    stateFile: path.join(dir, "state.json"),
    prefixes: [{ prefix: "192.0.2.0/24" }, { prefix: "2001:db8:100::/48" }, { prefix: "198.51.100.0/24", initialState: "withdrawn" }],
    speaker: {
      driver: "sim",
      upstreams: [
        { name: "transit-a", peerAsn: 64500, peerAddress: "203.0.113.1" },
        { name: "ams-ix", peerAsn: 64510, peerAddress: "2001:db8:ffff::1" },
      ],
    },
    healthChecks: [{ name: "dns", kind: "dns", target: "127.0.0.1:53" }],
    ...overrides,
  };
}

export function agentConfig(dir: string, overrides: Partial<AgentConfigFile> = {}): AgentConfig {
  const resolved = resolveAgentConfig(agentConfigFile(dir, overrides), { baseDir: dir, env: {} });
  if (!resolved.ok) throw new Error(resolved.problems.join("\n"));
  return resolved.config;
}

/** A logger that keeps its lines, to assert on what the agent logs. */
export function captureLogger(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines: () => chunks.join("").split("\n").filter(Boolean) };
}

export const silentLogger = (): Logger => pino({ level: "silent" });

export type TestAgent = { agent: RunningAgent; config: AgentConfig; speaker: SimSpeaker; client: AgentClient };

export async function startTestAgent(
  dir: string,
  { speaker, logger = silentLogger(), overrides = {} }: { speaker?: SimSpeaker; logger?: Logger; overrides?: Partial<AgentConfigFile> } = {},
): Promise<TestAgent> {
  // Checks run for real once started: a test that wants them says so.
  const config = agentConfig(dir, { healthChecks: [], ...overrides });
  const sim = speaker ?? new SimSpeaker({ upstreams: config.speaker.driver === "sim" ? config.speaker.upstreams : [] });
  const agent = await startAgent(config, { speaker: sim, logger });
  return { agent, config, speaker: sim, client: createAgentClient({ url: agent.url, secret: config.secret, timeoutMs: 2000 }) };
}

/** A clock that moves only when told: `advance(ms)` runs the timers that fall due, in order, letting each one's promises settle. */
export function fakeClock(start = new Date("2026-12-05T12:00:00Z")) {
  let at = 0;
  let next = 0;
  const timers = new Map<number, { due: number; run: () => void }>();
  const clock: Clock = {
    now: () => new Date(start.getTime() + at),
    monotonic: () => at,
    setTimer(run, ms) {
      const id = next++;
      timers.set(id, { due: at + Math.max(0, ms), run });
      return { id };
    },
    clearTimer(timer) {
      if (timer) timers.delete(timer.id as number);
    },
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    clock,
    /** Timers waiting, by how long until each is due. */
    pending: () => [...timers.values()].map((timer) => timer.due - at).sort((a, b) => a - b),
    async advance(ms: number) {
      const until = at + ms;
      await settle();
      for (;;) {
        const due = [...timers.entries()].filter(([, timer]) => timer.due <= until).sort((a, b) => a[1].due - b[1].due || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        at = due[1].due;
        due[1].run();
        await settle();
      }
      at = until;
      await settle();
    },
  };
}
