import { formatUtc } from "./format";

export type AgentHealthState = "unknown" | "ok" | "stale" | "unreachable";

export type SessionSource = { agentUrl: string | null; agentHealth: AgentHealthState; agentSeenAt: Date | null };

export type SessionsView = {
  /** True when the sessions are what the agent reported at the last poll: they can be read as now. */
  current: boolean;
  /** The "Upstreams up" figure: "3/3" when current, else "stale" or "unknown". */
  summary: string;
  /** Why they are not current, with the time of the last report; null when current. */
  note: string | null;
};

/**
 * What the PoP page may say of its BGP sessions. They come from the agent's status, so they
 * are only as fresh as its last report: while the agent is stale or unreachable, or the last
 * report is older than `staleAfterMs` (no poller ran since), "up 3/3" would be a guess.
 */
export function upstreamSessionsView(source: SessionSource, upstreams: readonly { state: string }[], now: Date, staleAfterMs: number): SessionsView {
  const up = upstreams.filter((upstream) => upstream.state === "established").length;
  const lastReport = source.agentSeenAt ? `last report ${formatUtc(source.agentSeenAt)} UTC` : "no report yet";
  if (!source.agentUrl) return { current: false, summary: "unknown", note: "No agent URL: nothing reports these sessions." };
  if (!source.agentSeenAt) return { current: false, summary: "unknown", note: "The agent has not reported these sessions yet." };
  if (source.agentHealth === "unreachable" || source.agentHealth === "stale") {
    return { current: false, summary: "stale", note: `Agent ${source.agentHealth}: sessions as of its ${lastReport} (${up}/${upstreams.length} up then).` };
  }
  if (now.getTime() - source.agentSeenAt.getTime() > staleAfterMs) {
    return { current: false, summary: "stale", note: `No recent report from the agent: sessions as of its ${lastReport} (${up}/${upstreams.length} up then).` };
  }
  return { current: true, summary: `${up}/${upstreams.length}`, note: null };
}
