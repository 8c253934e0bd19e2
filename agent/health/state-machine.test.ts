import { describe, expect, it } from "vitest";
import type { HealthState } from "@/lib/agent-protocol/schemas";
import { INITIAL_MACHINE, isChanging, isFailed, nextMachine, type CheckMachine, type Thresholds } from "./state-machine";

const run = (results: boolean[], thresholds: Thresholds, from: CheckMachine = INITIAL_MACHINE) => {
  const states: HealthState[] = [];
  let machine = from;
  for (const ok of results) {
    machine = nextMachine(machine, ok, thresholds);
    states.push(machine.state);
  }
  return { machine, states };
};

const up: CheckMachine = { state: "up", streak: 0, settled: "up" };
const down: CheckMachine = { state: "down", streak: 0, settled: "down" };

describe("health check state machine", () => {
  it("starts unknown and not failed: nothing is drained before the first result", () => {
    expect(INITIAL_MACHINE.state).toBe("unknown");
    expect(isFailed(INITIAL_MACHINE)).toBe(false);
  });

  it("rises from unknown to up after `rise` successes in a row", () => {
    expect(run([true, true], { rise: 2, fall: 2 }).states).toEqual(["rising", "up"]);
    expect(run([true, true, true], { rise: 3, fall: 3 }).states).toEqual(["rising", "rising", "up"]);
    expect(run([true], { rise: 1, fall: 1 }).states).toEqual(["up"]);
  });

  it("falls from unknown to down after `fall` failures in a row", () => {
    expect(run([false, false], { rise: 2, fall: 2 }).states).toEqual(["falling", "down"]);
    expect(run([false], { rise: 2, fall: 1 }).states).toEqual(["down"]);
  });

  it("stays up through fewer than `fall` failures, counting them as healthy", () => {
    const { machine, states } = run([false, true, false, false, true], { rise: 2, fall: 3 }, up);
    expect(states).toEqual(["falling", "up", "falling", "falling", "up"]);
    expect(isFailed(machine)).toBe(false);
    const falling = nextMachine(up, false, { rise: 2, fall: 3 });
    expect(isFailed(falling)).toBe(false);
  });

  it("goes down after exactly `fall` failures in a row, and only then fails the check", () => {
    const thresholds = { rise: 2, fall: 3 };
    const { states } = run([false, false, false], thresholds, up);
    expect(states).toEqual(["falling", "falling", "down"]);
    let machine = up;
    const failed: boolean[] = [];
    for (const ok of [false, false, false]) {
      machine = nextMachine(machine, ok, thresholds);
      failed.push(isFailed(machine));
    }
    expect(failed).toEqual([false, false, true]);
  });

  it("stays failed while rising from down, and a failure while rising goes straight back down", () => {
    const thresholds = { rise: 3, fall: 2 };
    const { states, machine } = run([true, true, false, true, true, true], thresholds, down);
    expect(states).toEqual(["rising", "rising", "down", "rising", "rising", "up"]);
    expect(isFailed(machine)).toBe(false);
    expect(isFailed(nextMachine(down, true, thresholds))).toBe(true);
  });

  it("stays down on further failures and up on further successes, without a change", () => {
    expect(nextMachine(down, false, { rise: 2, fall: 2 })).toEqual(down);
    expect(nextMachine(up, true, { rise: 2, fall: 2 })).toEqual(up);
  });

  it("from unknown, a failure while rising starts falling, and a success while falling starts rising", () => {
    expect(run([true, false, false], { rise: 2, fall: 2 }).states).toEqual(["rising", "falling", "down"]);
    expect(run([false, true, true], { rise: 2, fall: 2 }).states).toEqual(["falling", "rising", "up"]);
  });

  it("rise 1 / fall 1 flips on every result", () => {
    expect(run([false, true, false, true], { rise: 1, fall: 1 }, up).states).toEqual(["down", "up", "down", "up"]);
  });

  it("every state and result leads to a state the machine defines, and failed means settled down", () => {
    // Exhaustive over every reachable machine for small thresholds: walk all result strings up to length 6.
    for (const rise of [1, 2, 3]) {
      for (const fall of [1, 2, 3]) {
        const seen = new Map<string, CheckMachine>();
        let frontier: CheckMachine[] = [INITIAL_MACHINE];
        for (let depth = 0; depth < 7; depth++) {
          const next: CheckMachine[] = [];
          for (const machine of frontier) {
            const key = JSON.stringify(machine);
            if (seen.has(key)) continue;
            seen.set(key, machine);
            for (const ok of [true, false]) {
              const after = nextMachine(machine, ok, { rise, fall });
              expect(["unknown", "up", "rising", "falling", "down"]).toContain(after.state);
              expect(after.state).not.toBe("unknown");
              if (after.state === "up") expect(after.settled).toBe("up");
              if (after.state === "down") expect(after.settled).toBe("down");
              if (after.state === "rising") expect(after.streak).toBeLessThan(rise);
              if (after.state === "falling") expect(after.streak).toBeLessThan(fall);
              expect(isFailed(after)).toBe(after.settled === "down");
              next.push(after);
            }
          }
          frontier = next;
        }
        // unknown, up, down, plus rising/falling with each streak from each settled base.
        const states = new Set([...seen.values()].map((machine) => machine.state));
        expect(states.has("up") && states.has("down") && states.has("unknown")).toBe(true);
        expect(states.has("rising")).toBe(rise > 1);
        expect(states.has("falling")).toBe(fall > 1);
      }
    }
  });
});

describe("isChanging", () => {
  it("is true while results add up toward a new settled state, false once settled or before any result", () => {
    const thresholds = { rise: 2, fall: 3 };
    const states = [INITIAL_MACHINE];
    for (const ok of [true, true, false, false, false, true, true]) states.push(nextMachine(states.at(-1)!, ok, thresholds));
    expect(states.map((machine) => [machine.state, isChanging(machine)])).toEqual([
      ["unknown", false],
      ["rising", true],
      ["up", false],
      ["falling", true],
      ["falling", true],
      ["down", false],
      ["rising", true],
      ["up", false],
    ]);
  });
});
