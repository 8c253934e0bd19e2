import { loadAgentConfig } from "./config";
import { configPathFromArgs, exitWithProblems, startFailure, stopOnSignal } from "./cli";
import { createAgentLogger } from "./log";
import { startAgent } from "./start-agent";

// npm run agent -- --config path/to/agent.json
const configPath = configPathFromArgs("usage: npm run agent -- --config path/to/agent.json");
const loaded = loadAgentConfig(configPath);
if (!loaded.ok) exitWithProblems(loaded.problems);

const logger = createAgentLogger({ pop: loaded.config.pop });
try {
  const agent = await startAgent(loaded.config, { logger });
  stopOnSignal(agent.stop, logger);
} catch (error) {
  exitWithProblems([`agent ${loaded.config.pop} did not start: ${startFailure(error)}`]);
}
