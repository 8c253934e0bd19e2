import "server-only";
import { config } from "@/lib/config";

/** How long one agent call may take in all, retries included. */
export function agentTimeoutMs(): number {
  return config().CATCHMENT_AGENT_TIMEOUT_MS;
}

/** Further attempts after a failure that may pass on retry (refused connection, 5xx). */
export function agentRetries(): number {
  return config().CATCHMENT_AGENT_RETRIES;
}

/** How often the drift poller reads every agent's status. */
export function pollIntervalMs(): number {
  return config().CATCHMENT_POLL_INTERVAL_MS;
}
