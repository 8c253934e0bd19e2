import "server-only";
import pino from "pino";

// Secrets never reach the logs, whatever object is logged.
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "catchment" },
  redact: {
    paths: ["*.password", "*.secret", "*.agentSecret", "*.token", "*.authorization", "*.cookie", "headers.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});
