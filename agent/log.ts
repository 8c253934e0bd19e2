import pino, { type DestinationStream, type Logger } from "pino";

/** The agent's structured logs: JSON lines on stdout. Secrets are redacted whatever is logged. */
export function createAgentLogger(bindings: Record<string, string> = {}, destination?: DestinationStream): Logger {
  const options = {
    level: process.env.LOG_LEVEL ?? "info",
    base: { service: "catchment-agent", ...bindings },
    redact: {
      paths: ["secret", "*.secret", "authorization", "*.authorization", "headers.authorization", "*.headers.authorization"],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
