import type { HealthCheckConfig } from "../config";
import { checkDns, checkHttp, checkTcp, DEFAULT_DNS_QUERY, parseHostPort, type CheckResult } from "./checks";

/** Runs one check once, never throwing. */
export async function runCheck(check: HealthCheckConfig): Promise<CheckResult> {
  switch (check.kind) {
    case "dns": {
      const target = parseHostPort(check.target, 53);
      if (!target) return { ok: false, detail: `bad target ${check.target}`, ms: 0 };
      return checkDns(target, check.query ?? DEFAULT_DNS_QUERY, check.timeoutMs);
    }
    case "tcp": {
      const target = parseHostPort(check.target);
      if (!target) return { ok: false, detail: `bad target ${check.target}`, ms: 0 };
      return checkTcp(target, check.timeoutMs);
    }
    case "http":
      return checkHttp(check.target, check.timeoutMs);
  }
}

/**
 * Runs every check at once, then each again after the interval `onResult` gives for it
 * (start to start; a slow check is never overlapped by the next run of itself). Returns a
 * stop function; a run still in flight then ends within its timeout and its result is dropped.
 */
export function startHealthMonitor(checks: HealthCheckConfig[], onResult: (check: HealthCheckConfig, result: CheckResult) => Promise<{ nextInMs: number }>): () => void {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const schedule = (check: HealthCheckConfig, delayMs: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const started = performance.now();
      void runCheck(check)
        .then((result) => (stopped ? undefined : onResult(check, result)))
        .catch(() => undefined)
        .then((next) => {
          if (!stopped) schedule(check, Math.max(0, (next?.nextInMs ?? check.intervalMs) - (performance.now() - started)));
        });
    }, delayMs);
    timers.add(timer);
  };
  for (const check of checks) schedule(check, 0);
  return () => {
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}
