/**
 * True when the PoP's agent has answered a poll since this prefix was assigned or last changed,
 * yet reported nothing of it: it lists every prefix of its config file, so this one is not there,
 * and a restore would be refused. Only said while the agent's reports are current.
 */
export function missingFromAgentConfig(
  announcement: { observedAt: Date | null; desiredSince: Date },
  agent: { reportsCurrent: boolean; agentSeenAt: Date | null },
): boolean {
  return agent.reportsCurrent && announcement.observedAt === null && agent.agentSeenAt !== null && agent.agentSeenAt > announcement.desiredSince;
}
