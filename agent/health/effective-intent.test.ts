import { describe, expect, it } from "vitest";
import { effectiveIntent, type LocalFacts } from "./effective-intent";

const announced = { state: "announced" as const, prepend: 0, communities: ["65000:1"] };
const drained5 = { state: "drained" as const, prepend: 5, communities: [] };
const withdrawn = { state: "withdrawn" as const, prepend: 0, communities: [] };
const facts = (over: Partial<LocalFacts> = {}): LocalFacts => ({ healthFailed: false, maintenance: false, leaseHeld: false, ...over });

describe("effective intent (fail-soft)", () => {
  it("passes the console's intent through when healthy and not in maintenance", () => {
    expect(effectiveIntent(announced, facts(), 3)).toEqual({ ...announced, cause: "console" });
    expect(effectiveIntent(drained5, facts(), 3)).toEqual({ ...drained5, cause: "console" });
  });

  it("drains, never withdraws, on a failed check without a lease", () => {
    expect(effectiveIntent(announced, facts({ healthFailed: true }), 3)).toEqual({ state: "drained", prepend: 3, communities: ["65000:1"], cause: "health-drain" });
  });

  it("withdraws only with a lease and a failed check", () => {
    expect(effectiveIntent(announced, facts({ healthFailed: true, leaseHeld: true }), 3).state).toBe("withdrawn");
    // A lease without a failed check (the check recovered) withdraws nothing.
    expect(effectiveIntent(announced, facts({ leaseHeld: true }), 3)).toEqual({ ...announced, cause: "console" });
    // Maintenance drains; it never uses a lease to withdraw.
    expect(effectiveIntent(announced, facts({ maintenance: true, leaseHeld: true }), 3).state).toBe("drained");
  });

  it("maintenance drains", () => {
    expect(effectiveIntent(announced, facts({ maintenance: true }), 3)).toMatchObject({ state: "drained", prepend: 3, cause: "maintenance" });
  });

  it("never weakens the console's intent: its withdraw stays, a deeper drain keeps its prepends", () => {
    expect(effectiveIntent(withdrawn, facts({ healthFailed: true }), 3)).toEqual({ ...withdrawn, cause: "console" });
    expect(effectiveIntent(withdrawn, facts({ maintenance: true }), 3).state).toBe("withdrawn");
    expect(effectiveIntent(drained5, facts({ healthFailed: true }), 3).prepend).toBe(5);
    expect(effectiveIntent({ ...drained5, prepend: 1 }, facts({ maintenance: true }), 3).prepend).toBe(3);
  });
});
