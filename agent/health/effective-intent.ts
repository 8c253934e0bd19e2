import type { RouteIntent } from "../speakers/speaker";

/** What the agent itself knows about a prefix, on top of what the console asked for. */
export type LocalFacts = {
  /** A health check covering this prefix's service is down. */
  healthFailed: boolean;
  /** Maintenance mode, by the agent API or by the maintenance file. */
  maintenance: boolean;
  /** A withdraw lease from the console is held and not expired (by the agent's own clock). */
  leaseHeld: boolean;
};

export type EffectiveIntent = RouteIntent & {
  /** Why the wire differs from the console's intent, or "console" when it does not. */
  cause: "console" | "health-drain" | "lease-withdraw" | "maintenance";
};

/**
 * The route the speaker should carry. Fail-soft: a failed health check or maintenance only
 * drains (at least `drainPrepend` prepends); the agent withdraws on its own only while it
 * holds a lease for a failed check. What the console asked for is never weakened: its
 * withdraw stays a withdraw and a deeper drain keeps its prepend count.
 */
export function effectiveIntent(requested: RouteIntent, facts: LocalFacts, drainPrepend: number): EffectiveIntent {
  if (requested.state === "withdrawn") return { ...requested, cause: "console" };
  if (facts.healthFailed && facts.leaseHeld) return { state: "withdrawn", prepend: 0, communities: requested.communities, cause: "lease-withdraw" };
  if (facts.healthFailed || facts.maintenance) {
    const prepend = Math.max(drainPrepend, requested.state === "drained" ? requested.prepend : 0);
    return { state: "drained", prepend, communities: requested.communities, cause: facts.healthFailed ? "health-drain" : "maintenance" };
  }
  return { ...requested, cause: "console" };
}
