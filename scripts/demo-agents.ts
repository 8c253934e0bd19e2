// The demo fleet's PoP agents: one child process serving every simulated PoP on its own
// port (agent/sim-fleet.ts), configured from the database. The console then reaches them over
// HTTP exactly as it would reach real PoPs.
import { config } from "../lib/config";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "../lib/server/db/create-client";
import { spawnChild } from "./spawn-child";

export async function writeDemoFleetConfig(db: Db, dataDir: string): Promise<string | null> {
  const pops = await db.pop.findMany({
    where: { simulated: true, agentUrl: { not: null }, agentSecret: { not: null } },
    omit: { agentSecret: false },
    include: { upstreams: true, announcements: { include: { prefix: true } } },
    orderBy: { code: "asc" },
  });
  if (pops.length === 0) return null;
  const dir = path.join(dataDir, "agents");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const agents = pops.map((pop) => {
    const url = new URL(pop.agentUrl!);
    return {
      pop: pop.code,
      listen: { host: url.hostname, port: Number(url.port) },
      secret: pop.agentSecret,
      // The agent's own applied state wins after the first start; these seed it once.
      stateFile: `state/${pop.code.toLowerCase()}.json`,
      prefixes: pop.announcements.map((a) => ({
        prefix: a.prefix.cidr,
        initialState: a.desiredState,
        ...(a.desiredState === "drained" ? { initialPrepend: a.prependCount } : {}),
      })),
      speaker: {
        driver: "sim",
        upstreams: pop.upstreams.map((u) => ({ name: u.name, peerAsn: Number(u.peerAsn), peerAddress: u.peerAddress })),
        // The fleet's origin ASN, which the PoP speaks BGP as.
        ...(pop.announcements[0] ? { asn: Number(pop.announcements[0].prefix.originAsn) } : {}),
      },
    };
  });
  const file = path.join(dir, "fleet.json");
  // Holds the agents' secrets: readable by this user only.
  writeFileSync(file, JSON.stringify({ agents }, null, 2), { mode: 0o600 });
  return file;
}

export function spawnDemoAgents(configFile: string): ChildProcess {
  // Only what the agents need: not the console's database URL or session secret.
  const env: NodeJS.ProcessEnv = { NODE_ENV: "production", PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: config().AGENT_LOG_LEVEL };
  return spawnChild(["--import", "tsx", path.resolve("agent/sim-fleet.ts"), "--config", configFile], env);
}
