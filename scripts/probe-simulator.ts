// The demo fleet's live probes (`npm start` runs this in demo mode). Every few seconds it:
// - reads each simulated PoP's announcement state from its agent's API (an unreachable agent
//   announces nothing: its speaker is gone);
// - has the probes due in that window measure every prefix (lib/demo/simulator.ts) and posts
//   their answers to the console's ingest API, the path real probes take;
// - every TRAFFIC_EVERY_MS writes each PoP's traffic, from where the probes land now.
// Environment: DATABASE_URL, CATCHMENT_URL (the console), CATCHMENT_SIM_TOKEN (an ingest token),
// CATCHMENT_SIM_TICK_MS (default 5000), CATCHMENT_SIM_CYCLE_MS (each probe measures once per
// cycle; default 120000).
import { config } from "../lib/config";
import { createAgentClient } from "../lib/agent-protocol/client";
import { canonicalCidr } from "../lib/domain/cidr";
import type { AnnouncementStateName } from "../lib/domain/routing-model";
import { DEFAULT_DEMO_SEED } from "../lib/demo/fleet";
import {
  calibratePeakBpsPerAnswer,
  catchmentCounts,
  measurePrefix,
  probesDue,
  trafficByPop,
  type PrefixStates,
  type SimPop,
  type SimProbe,
} from "../lib/demo/simulator";
import { createDbClient, type Db } from "../lib/server/db/create-client";

const TICK_MS = config().CATCHMENT_SIM_TICK_MS;
const CYCLE_MS = config().CATCHMENT_SIM_CYCLE_MS;
const TRAFFIC_EVERY_MS = 30_000;
/** Probes, PoPs and prefixes are re-read this often, so PoPs added in the console join in. */
const FLEET_EVERY_MS = 60_000;
/** Simulated history older than this is deleted, so a demo left running does not fill the disk. */
const KEEP_MS = 25 * 3_600_000;
const AGENT_TIMEOUT_MS = 2_000;
const SEED = DEFAULT_DEMO_SEED;

type Fleet = {
  probes: SimProbe[];
  pops: (SimPop & { agentUrl: string; agentSecret: string })[];
  prefixes: { id: number; cidr: string }[];
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`probe simulator: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

async function loadFleet(db: Db): Promise<Fleet> {
  const [probes, pops, prefixes] = await Promise.all([
    db.probe.findMany({ where: { source: "simulated", latitude: { not: null }, longitude: { not: null } }, select: { externalId: true, latitude: true, longitude: true, asnV4: true }, orderBy: { id: "asc" } }),
    db.pop.findMany({
      where: { simulated: true, status: { not: "decommissioned" }, agentUrl: { not: null }, agentSecret: { not: null } },
      omit: { agentSecret: false },
      include: { upstreams: { select: { peerAsn: true } } },
      orderBy: { code: "asc" },
    }),
    db.prefix.findMany({ select: { id: true, cidr: true }, orderBy: { id: "asc" } }),
  ]);
  return {
    probes: probes.flatMap((p) =>
      p.latitude === null || p.longitude === null ? [] : [{ externalId: p.externalId, lat: p.latitude, lon: p.longitude, asn: p.asnV4 === null ? null : Number(p.asnV4) }],
    ),
    pops: pops
      .filter((pop) => pop.identities.some((identity) => !identity.includes("*")))
      .map((pop) => ({
        code: pop.code,
        lat: pop.latitude,
        lon: pop.longitude,
        identity: pop.identities.find((identity) => !identity.includes("*"))!,
        upstreamAsns: pop.upstreams.map((upstream) => Number(upstream.peerAsn)),
        agentUrl: pop.agentUrl!,
        agentSecret: pop.agentSecret!,
      })),
    prefixes,
  };
}

/** Per prefix (by CIDR), each PoP's state as its agent reports it. */
async function readStates(fleet: Fleet): Promise<Map<string, PrefixStates>> {
  const byPrefix = new Map<string, Map<string, AnnouncementStateName>>(fleet.prefixes.map((p) => [p.cidr, new Map()]));
  await Promise.all(
    fleet.pops.map(async (pop) => {
      const status = await createAgentClient({ url: pop.agentUrl, secret: pop.agentSecret, timeoutMs: AGENT_TIMEOUT_MS }).status();
      if (!status.ok || !status.value.speaker.up) return;
      for (const announcement of status.value.announcements) {
        byPrefix.get(canonicalCidr(announcement.prefix) ?? announcement.prefix)?.set(pop.code, announcement.state);
      }
    }),
  );
  return byPrefix;
}

async function post(consoleUrl: string, token: string, lines: object[]): Promise<void> {
  const response = await fetch(new URL("/api/v1/measurements?format=ndjson&source=simulated", consoleUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" },
    body: lines.map((line) => JSON.stringify(line)).join("\n"),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`ingest answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

async function latestFleetBps(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ bps: number | null }[]>`
    SELECT sum(t.bps)::float8 AS bps FROM pop p
     CROSS JOIN LATERAL (SELECT bps FROM traffic_sample WHERE pop_id = p.id AND at > now() - interval '1 hour' ORDER BY at DESC LIMIT 1) t
     WHERE p.simulated`;
  return row?.bps ?? 0;
}

async function writeTraffic(db: Db, fleet: Fleet, served: Map<string, SimProbe[]>, peak: number, at: Date) {
  const traffic = trafficByPop(served, peak, at);
  const ids = new Map((await db.pop.findMany({ where: { code: { in: fleet.pops.map((p) => p.code) } }, select: { id: true, code: true } })).map((p) => [p.code, p.id]));
  const rows = fleet.pops.map((pop) => ({ popId: ids.get(pop.code)!, bps: traffic.get(pop.code) ?? 0 })).filter((row) => row.popId !== undefined);
  await db.trafficSample.createMany({
    data: rows.map((row) => ({ popId: row.popId, at, bps: row.bps, pps: Math.round(row.bps / (8 * 600)), simulated: true })),
    skipDuplicates: true,
  });
}

async function prune(db: Db, now: number) {
  const before = new Date(now - KEEP_MS);
  await db.$executeRaw`DELETE FROM measurement m USING probe p WHERE m.probe_id = p.id AND p.source = 'simulated' AND m.measured_at < ${before}`;
  await db.trafficSample.deleteMany({ where: { simulated: true, at: { lt: before } } });
}

async function main() {
  const db = createDbClient(required("DATABASE_URL"), 2);
  const consoleUrl = required("CATCHMENT_URL");
  const token = required("CATCHMENT_SIM_TOKEN");
  let fleet = await loadFleet(db);
  let fleetAt = Date.now();
  let peak: number | null = null;
  let trafficAt = 0;
  let prunedAt = 0;
  let windowStart = Date.now();
  let failing = false;
  console.log(`probe simulator: ${fleet.probes.length} probes, ${fleet.pops.length} PoPs, each probe every ${CYCLE_MS / 1000} s`);

  for (;;) {
    const tickStart = Date.now();
    try {
      if (tickStart - fleetAt >= FLEET_EVERY_MS) {
        fleet = await loadFleet(db);
        fleetAt = tickStart;
      }
      const states = await readStates(fleet);
      const at = new Date(tickStart);
      const due = probesDue(fleet.probes, SEED, windowStart, tickStart, CYCLE_MS);
      const lines = fleet.prefixes.flatMap((prefix) => measurePrefix(due, fleet.pops, states.get(prefix.cidr)!, prefix.cidr, SEED, at));
      if (lines.length) await post(consoleUrl, token, lines);
      windowStart = tickStart;

      if (tickStart - trafficAt >= TRAFFIC_EVERY_MS) {
        const served = catchmentCounts(fleet.probes, fleet.pops, [...states.values()], SEED);
        // The first time, match the traffic history so the charts continue without a jump.
        peak ??= calibratePeakBpsPerAnswer(served, (await latestFleetBps(db)) || 1e9 * fleet.pops.length, at);
        await writeTraffic(db, fleet, served, peak, at);
        trafficAt = tickStart;
      }
      if (tickStart - prunedAt >= 3_600_000) {
        await prune(db, tickStart);
        prunedAt = tickStart;
      }
      if (failing) console.log("probe simulator: posting again");
      failing = false;
    } catch (error) {
      // The console may still be starting, or restarting: say it once, keep trying.
      if (!failing) console.error(`probe simulator: ${error instanceof Error ? error.message : error}; retrying`);
      failing = true;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, TICK_MS - (Date.now() - tickStart))));
  }
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(0));
await main();
