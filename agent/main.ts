import { loadAgentConfig } from "./config";
import { configPathFromArgs, exitWithProblems, startFailure, stopOnSignal } from "./cli";
import { createAgentLogger } from "./log";
import { startAgent, type RunningAgent } from "./start-agent";

// npm run agent -- --config path/to/agent.json
const configPath = configPathFromArgs("usage: npm run agent -- --config path/to/agent.json");
const loaded = loadAgentConfig(configPath);
if (!loaded.ok) exitWithProblems(loaded.problems);

const logger = createAgentLogger({ pop: loaded.config.pop });
// Listen for signals before starting: one may come as soon as the agent says it listens.
let agent: RunningAgent | undefined;
stopOnSignal(async () => {
  await agent?.stop();
}, logger);
try {
  agent = await startAgent(loaded.config, { logger });
} catch (error) {
  exitWithProblems([`agent ${loaded.config.pop} did not start: ${startFailure(error)}`]);
}
