import "server-only";

/** How long one agent call may take in all, retries included. */
export function agentTimeoutMs(): number {
  return Number(process.env.CATCHMENT_AGENT_TIMEOUT_MS ?? 5000);
}

/** Further attempts after a failure that may pass on retry (refused connection, 5xx). */
export function agentRetries(): number {
  return Number(process.env.CATCHMENT_AGENT_RETRIES ?? 2);
}

/** How often the drift poller reads every agent's status. */
export function pollIntervalMs(): number {
  return Number(process.env.CATCHMENT_POLL_INTERVAL_MS ?? 10_000);
}
