import { describe, expect, it } from "vitest";
import { upstreamSessionsView, type SessionSource } from "./upstream-sessions";

const now = new Date("2026-12-04T12:00:00Z");
const upstreams = [{ state: "established" }, { state: "established" }, { state: "established" }];
const source = (overrides: Partial<SessionSource>): SessionSource => ({ agentUrl: "http://127.0.0.1:21100", agentHealth: "ok", agentSeenAt: new Date("2026-12-04T11:59:55Z"), ...overrides });
const view = (overrides: Partial<SessionSource>) => upstreamSessionsView(source(overrides), upstreams, now, 30_000);

describe("what the PoP page says of its BGP sessions", () => {
  it("counts the sessions up while the agent answered recently", () => {
    expect(view({})).toEqual({ current: true, summary: "3/3", note: null });
  });

  it("says stale, with the last report's time, while the agent is unreachable or stale, not 'up 3/3'", () => {
    const seen = new Date("2026-12-04T11:40:00Z");
    expect(view({ agentHealth: "unreachable", agentSeenAt: seen })).toEqual({
      current: false,
      summary: "stale",
      note: "Agent unreachable: sessions as of its last report 2026-12-04 11:40:00 UTC (3/3 up then).",
    });
    expect(view({ agentHealth: "stale", agentSeenAt: seen })).toMatchObject({ current: false, summary: "stale", note: expect.stringContaining("Agent stale") });
  });

  it("says stale when the last report is old though the agent was fine then (no poll since)", () => {
    expect(view({ agentSeenAt: new Date("2026-12-04T11:50:00Z") })).toMatchObject({ current: false, summary: "stale", note: expect.stringContaining("2026-12-04 11:50:00 UTC") });
  });

  it("says unknown for an agent never heard from, or no agent at all", () => {
    expect(view({ agentHealth: "unknown", agentSeenAt: null })).toMatchObject({ current: false, summary: "unknown", note: expect.stringContaining("not reported") });
    expect(view({ agentUrl: null, agentHealth: "unknown", agentSeenAt: null })).toMatchObject({ current: false, summary: "unknown", note: expect.stringContaining("No agent URL") });
  });
});
