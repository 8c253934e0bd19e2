import type { HealthState } from "@/lib/agent-protocol/schemas";

/**
 * The rise/fall state machine of one health check. Pure: the caller feeds it each result.
 *
 * - `unknown`: no result yet (the agent just started). Neither healthy nor failed: nothing is drained.
 * - `up` / `down`: settled. `down` is what drains the service's prefixes.
 * - `falling`: failures are adding up (fewer than `fall` in a row) from up or unknown; still counted healthy.
 * - `rising`: successes are adding up (fewer than `rise` in a row) from down or unknown; a check
 *   that was down stays failed until it is up again, so a flapping service is not restored early.
 *
 * A result that does not change `state` is not a change: the agent reports changes only.
 */
export type CheckMachine = {
  state: HealthState;
  /** Consecutive results toward the next settled state (successes while rising, failures while falling). */
  streak: number;
  /** The last settled state, or null before the first one. */
  settled: "up" | "down" | null;
};

export type Thresholds = { rise: number; fall: number };

export const INITIAL_MACHINE: CheckMachine = { state: "unknown", streak: 0, settled: null };

export function nextMachine(machine: CheckMachine, ok: boolean, { rise, fall }: Thresholds): CheckMachine {
  if (ok) {
    if (machine.settled === "up") return { state: "up", streak: 0, settled: "up" };
    const streak = machine.state === "rising" ? machine.streak + 1 : 1;
    return streak >= rise ? { state: "up", streak: 0, settled: "up" } : { state: "rising", streak, settled: machine.settled };
  }
  if (machine.settled === "down") return { state: "down", streak: 0, settled: "down" };
  const streak = machine.state === "falling" ? machine.streak + 1 : 1;
  return streak >= fall ? { state: "down", streak: 0, settled: "down" } : { state: "falling", streak, settled: machine.settled };
}

/** Whether this check currently fails its service (drains its prefixes). */
export function isFailed(machine: CheckMachine): boolean {
  return machine.settled === "down";
}

/** Whether results are adding up toward a new settled state: the check then runs at its fast interval. */
export function isChanging(machine: CheckMachine): boolean {
  return machine.state === "rising" || machine.state === "falling";
}
