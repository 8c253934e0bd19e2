import type { Logger } from "pino";
import type { AgentConfig } from "./config";
import { createConsoleLink } from "./console-link";
import { systemClock } from "./clock";
import { LocalControl } from "./local-control";
import { createAgentLogger } from "./log";
import { createAgentServer } from "./server";
import { createSpeaker } from "./speakers/create-speaker";
import { SpeakerError, type Speaker } from "./speakers/speaker";
import { initialAppliedState, StateStore } from "./state-store";

export type StartAgentOptions = {
  logger?: Logger;
  /** Overrides the driver named in the config (tests, the demo fleet's fault injection). */
  speaker?: Speaker;
  now?: () => Date;
};

export type RunningAgent = {
  pop: string;
  host: string;
  port: number;
  url: string;
  speaker: Speaker;
  store: StateStore;
  control: LocalControl;
  /** Closes the server (letting requests in flight finish), then stops the speaker. */
  stop(): Promise<void>;
};

export class AgentStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgentStartError";
  }
}

/**
 * Starts one agent: loads the state file (refusing a corrupt one), starts the speaker,
 * re-applies every configured prefix's state, and only then serves the API, so the
 * console never sees an agent whose speaker disagrees with what it reports.
 */
export async function startAgent(config: AgentConfig, options: StartAgentOptions = {}): Promise<RunningAgent> {
  const logger = options.logger ?? createAgentLogger({ pop: config.pop });
  const now = options.now ?? (() => new Date());
  const speaker = options.speaker ?? createSpeaker(config.speaker);
  const store = await StateStore.open(config.stateFile);

  const configured = new Set(config.prefixes.map((entry) => entry.prefix));
  const forgotten = store.prefixes().filter((prefix) => !configured.has(prefix));
  if (forgotten.length > 0) logger.warn({ prefixes: forgotten }, "state file names prefixes no longer in the config; ignoring them");

  const link = config.console
    ? createConsoleLink({ url: config.console.url, pop: config.pop, secret: config.secret, timeoutMs: config.console.timeoutMs })
    : null;
  if (!link && config.healthChecks.length > 0) logger.warn("no console configured: a failed health check drains, and the agent can never withdraw");
  const control = new LocalControl(config, speaker, store, { logger, clock: { ...systemClock, now }, link });

  await speaker.start();
  try {
    for (const entry of config.prefixes) {
      const stored = store.get(entry.prefix);
      if (!stored) await store.record(entry.prefix, initialAppliedState(entry, now()));
    }
    try {
      // Maintenance (file or persisted API flag) drains from the first route the speaker sends.
      await control.applyAtStart();
    } catch (error) {
      const detail = error instanceof SpeakerError ? error.message : String(error);
      throw new AgentStartError(`could not re-apply the prefixes to the ${speaker.driver} speaker: ${detail}`);
    }
    const server = createAgentServer(config, speaker, store, { logger, now, control });
    const address = await server.listen();
    control.start();
    logger.info({ url: address.url, driver: speaker.driver, prefixes: config.prefixes.length, checks: config.healthChecks.length }, "agent listening");
    return {
      pop: config.pop,
      ...address,
      speaker,
      store,
      control,
      stop: async () => {
        await control.stop();
        await server.close();
        await store.flush();
        await speaker.stop();
        logger.info("agent stopped");
      },
    };
  } catch (error) {
    await speaker.stop().catch(() => undefined);
    throw error;
  }
}
