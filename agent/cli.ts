import { parseArgs } from "node:util";
import type { Logger } from "pino";

/** Prints problems, one line each (no stack: they are the operator's to fix), and exits 1. */
export function exitWithProblems(lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(1);
}

/** The value of `--config`, or exit with the usage line. */
export function configPathFromArgs(usage: string): string {
  try {
    const { values } = parseArgs({ options: { config: { type: "string", short: "c" } }, strict: true });
    if (values.config) return values.config;
  } catch (error) {
    exitWithProblems([(error as Error).message, usage]);
  }
  exitWithProblems([usage]);
}

/** The message of a start failure, without a stack. */
export function startFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** On SIGINT or SIGTERM: stop, then exit 0. A second signal exits at once. */
export function stopOnSignal(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "stopping");
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
