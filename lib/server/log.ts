import "server-only";
import { config } from "@/lib/config";
import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

export type LogFormat = "json" | "pretty";

/**
 * Readable lines for a person at a terminal (`npm start`: the console's server shares its
 * terminal), JSON lines for everything else (systemd, a container, a log collector).
 * LOG_FORMAT=json|pretty decides when set.
 */
export function logFormat(chosen: LogFormat | undefined, stdoutIsTerminal: boolean): LogFormat {
  return chosen ?? (stdoutIsTerminal ? "pretty" : "json");
}

const SECRET_KEYS = ["password", "secret", "agentSecret", "token", "authorization", "cookie"];

export type LoggerOptions = {
  format: LogFormat;
  level?: string;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
};

// Secrets never reach the logs, whatever object is logged, in either format.
export function createLogger({ format, level = "info", destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service: "catchment" },
    redact: {
      paths: [...SECRET_KEYS, ...SECRET_KEYS.map((key) => `*.${key}`), "headers.authorization", "headers.cookie", "*.headers.authorization", "*.headers.cookie"],
      censor: "[redacted]",
    },
  };
  if (format === "json") return destination ? pino(options, destination) : pino(options);
  return pino(
    options,
    pretty({
      destination: destination ?? 1,
      // Synchronous, as pino's own stdout: a line logged just before the process ends is not lost.
      sync: true,
      colorize: destination === undefined && pretty.isColorSupported,
      singleLine: true,
      translateTime: "UTC:HH:MM:ss'Z'",
      ignore: "pid,hostname,service",
    }),
  );
}

export const log = createLogger({ format: logFormat(config().LOG_FORMAT, process.stdout.isTTY === true), level: config().LOG_LEVEL });
