import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { z } from "zod";
import { readJsonFile, resolveAgentConfig, type AgentConfig, type ConfigResult, type Environment } from "./config";
import { configPathFromArgs, exitWithProblems, startFailure, stopOnSignal } from "./cli";
import { createAgentLogger } from "./log";
import { startAgent, type RunningAgent } from "./start-agent";

/**
 * The demo fleet: one process serving several simulated PoPs, each a full agent (own
 * port, secret, state file and speaker) on the same code path as a real one.
 */

const fleetFileSchema = z.strictObject({ agents: z.array(z.unknown()).min(1) });

/** Reads a fleet file `{ agents: [<agent config>, ...] }`; relative paths are relative to it. */
export function loadFleetConfig(file: string, env: Environment = process.env): ConfigResult<AgentConfig[]> {
  const json = readJsonFile(file);
  if (!json.ok) return json;
  const fleet = fleetFileSchema.safeParse(json.config);
  if (!fleet.success) return { ok: false, problems: fleet.error.issues.map((issue) => `${file}: ${issue.path.join(".") || "top level"}: ${issue.message}`) };
  const baseDir = path.dirname(path.resolve(file));
  const problems: string[] = [];
  const configs: AgentConfig[] = [];
  fleet.data.agents.forEach((agent, index) => {
    const resolved = resolveAgentConfig(agent, { baseDir, env, path: ["agents", index] });
    if (resolved.ok) configs.push(resolved.config);
    else problems.push(...resolved.problems.map((problem) => `${file}: ${problem}`));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: configs };
}

/** What must differ between the agents of one fleet. */
export function fleetConflicts(configs: AgentConfig[]): string[] {
  const conflicts: string[] = [];
  const firstIndex = new Map<string, number>();
  configs.forEach((config, index) => {
    const keys: Array<[field: string, key: string]> = [
      ["pop", `pop ${config.pop}`],
      ["stateFile", `stateFile ${config.stateFile}`],
    ];
    // Port 0 asks the system for a free port: any number of agents may.
    if (config.listen.port !== 0) keys.push(["listen", `listen ${config.listen.host}:${config.listen.port}`]);
    for (const [field, key] of keys) {
      const first = firstIndex.get(key);
      if (first === undefined) firstIndex.set(key, index);
      else conflicts.push(`agents[${index}].${field}: same ${key} as agents[${first}]`);
    }
  });
  return conflicts;
}

export type AgentFleet = {
  agents: RunningAgent[];
  stop(): Promise<void>;
};

export class FleetStartError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "FleetStartError";
  }
}

/** Starts every agent, or none: if one fails, those already started are stopped. */
export async function startAgentFleet(configs: AgentConfig[], { logger = createAgentLogger({ fleet: "demo" }) }: { logger?: Logger } = {}): Promise<AgentFleet> {
  const conflicts = fleetConflicts(configs);
  if (conflicts.length > 0) throw new FleetStartError(conflicts);
  const results = await Promise.allSettled(configs.map((config) => startAgent(config, { logger: logger.child({ pop: config.pop }) })));
  const agents = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
  };
  const failures = results.flatMap((result, index) =>
    result.status === "rejected" ? [`agent ${configs[index]?.pop} did not start: ${startFailure(result.reason)}`] : [],
  );
  if (failures.length > 0) {
    await stop();
    throw new FleetStartError(failures);
  }
  return { agents, stop };
}

/** `127.0.0.1:7101-7103` when the ports run on, else every host:port. */
export function describeListeners(agents: Array<Pick<RunningAgent, "host" | "port">>): string {
  const hosts = new Set(agents.map((agent) => agent.host));
  const ports = agents.map((agent) => agent.port).sort((a, b) => a - b);
  const contiguous = ports.every((port, index) => index === 0 || port === (ports[index - 1] ?? Number.NaN) + 1);
  const [host] = hosts;
  if (hosts.size === 1 && contiguous && ports.length > 0) {
    const range = ports.length === 1 ? `${ports[0]}` : `${ports[0]}-${ports[ports.length - 1]}`;
    return `${host}:${range}`;
  }
  return agents.map((agent) => `${agent.host}:${agent.port}`).join(", ");
}

async function main(): Promise<void> {
  const configPath = configPathFromArgs("usage: npm run agent:fleet -- --config path/to/fleet.json");
  const loaded = loadFleetConfig(configPath);
  if (!loaded.ok) exitWithProblems(loaded.problems);
  const logger = createAgentLogger({ fleet: path.basename(configPath) });
  // Listen for signals before starting: one may come as soon as the fleet says it listens.
  let fleet: AgentFleet | undefined;
  stopOnSignal(async () => {
    await fleet?.stop();
  }, logger);
  try {
    fleet = await startAgentFleet(loaded.config, { logger });
    process.stdout.write(`agent fleet: ${fleet.agents.length} agents listening on ${describeListeners(fleet.agents)}\n`);
  } catch (error) {
    exitWithProblems(error instanceof FleetStartError ? error.problems : [`agent fleet did not start: ${startFailure(error)}`]);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
