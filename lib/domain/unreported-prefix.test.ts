import { describe, expect, it } from "vitest";
import { missingFromAgentConfig } from "./unreported-prefix";

const assigned = new Date("2026-12-04T12:00:00Z");
const after = new Date("2026-12-04T12:00:10Z");

describe("a prefix the agent does not have in its config", () => {
  it("is flagged once a current report after the assignment said nothing of it", () => {
    expect(missingFromAgentConfig({ observedAt: null, desiredSince: assigned }, { reportsCurrent: true, agentSeenAt: after })).toBe(true);
  });

  it("is not flagged before such a report, when the agent reported it, or while reports are not current", () => {
    expect(missingFromAgentConfig({ observedAt: null, desiredSince: assigned }, { reportsCurrent: true, agentSeenAt: new Date("2026-12-04T11:59:59Z") })).toBe(false);
    expect(missingFromAgentConfig({ observedAt: after, desiredSince: assigned }, { reportsCurrent: true, agentSeenAt: after })).toBe(false);
    expect(missingFromAgentConfig({ observedAt: null, desiredSince: assigned }, { reportsCurrent: false, agentSeenAt: after })).toBe(false);
    expect(missingFromAgentConfig({ observedAt: null, desiredSince: assigned }, { reportsCurrent: true, agentSeenAt: null })).toBe(false);
  });
});
