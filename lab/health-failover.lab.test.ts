import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentClient } from "../lib/agent-protocol/client";
import { until } from "../test/support/until";
import { startLabConsole, type LabConsole } from "./harness";
import { labUnavailableReason } from "./lab";
import { BASELINE_CATCHMENT, readClientResults, waitForCatchment, waitForMoveAway } from "./observe";
import { labNames } from "./topology";

// The October 2021 failure mode, on real BGP: every PoP's health check fails at once while the
// DNS service itself is fine (the checks depend on a "backbone" endpoint that goes away, as
// theirs did). The agents drain; the console grants withdraw leases only while the prefix's
// safety floor holds. Ports: console 3601, its Postgres 25462; lab instance 7 (namespaces are
// machine-wide: 0 npm run lab, 1 the other lab tests, 2 the bench, 3 the up/down cycle test).
const INSTANCE = 7;
const PORT = 3601;
const PG_PORT = 25462;
/** The lab's BGP hold time (topology.ts BIRD_TIMERS). */
const HOLD_TIME_MS = 6000;
const FLOOR = 2;
/** The tests poll the agents and the database this often (each read asks four agents). */
const LAB_POLL_MS = 100;

const unavailable = labUnavailableReason();
if (unavailable) {
  console.warn(`\n${"!".repeat(100)}\n!!! LAB TESTS SKIPPED: ${unavailable}.\n!!! They need Linux, root, iproute2 and BIRD 2; CI runs them as root.\n${"!".repeat(100)}\n`);
}

describe.skipIf(unavailable !== null)("correlated health-check failure on the BGP lab", () => {
  let h: LabConsole;
  // One "backbone" endpoint per PoP in this process, reached over the PoP's management link:
  // what the PoP's health check depends on, while the DNS service itself stays fine.
  const backbones = new Map<string, { server: Server | null; port: number }>();
  const names = labNames(INSTANCE);

  async function openBackbone(code: string) {
    const entry = backbones.get(code) ?? { server: null, port: 0 };
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(entry.port, "0.0.0.0", resolve));
    backbones.set(code, { server, port: (server.address() as { port: number }).port });
  }
  async function closeBackbone(code: string) {
    const entry = backbones.get(code);
    if (!entry?.server) return;
    const server = entry.server;
    entry.server = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  beforeAll(async () => {
    for (const code of ["AMS1", "FRA1", "NYC1", "SIN1"]) await openBackbone(code);
    h = await startLabConsole({
      instance: INSTANCE,
      port: PORT,
      pgPort: PG_PORT,
      probeIntervalMs: 200,
      pollIntervalMs: 1000,
      agentConfig: (pop) => ({
        healthChecks: [{ name: "backbone", kind: "tcp", service: "dns", target: `${names.mgmtHost(pop.index)}:${backbones.get(pop.code)!.port}`, intervalMs: 1000, timeoutMs: 500, rise: 2, fall: 2 }],
        console: { url: `http://${names.mgmtHost(pop.index)}:${PORT}`, timeoutMs: 2000, leaseRetryMs: 1000 },
      }),
    });
  }, 240_000);

  afterAll(async () => {
    await h?.stop();
    for (const code of backbones.keys()) await closeBackbone(code);
  });

  /** Each agent's wire state and check state; an agent too slow to answer (a loaded machine) reads as unknown. */
  async function wire() {
    return Promise.all(
      h.lab.pops.map(async (pop) => {
        const status = await createAgentClient({ url: pop.agentUrl, secret: h.lab.secret, timeoutMs: 5000 }).status();
        if (!status.ok) return { code: pop.code, state: "unknown", health: "unknown" };
        return { code: pop.code, state: status.value.announcements[0]!.state as string, health: status.value.health[0]?.state as string };
      }),
    );
  }

  /** Each client's longest stretch without an answer between `from` and `to`. */
  function longestSilence(from: number, to: number): Map<number, number> {
    return new Map(
      h.lab.clients.map((client) => {
        const answered = readClientResults(h.lab, client.index, from).filter((result) => result.answer !== null && result.t <= to).map((result) => result.t);
        const marks = [from, ...answered, to];
        let longest = 0;
        for (let i = 1; i < marks.length; i++) longest = Math.max(longest, marks[i]! - marks[i - 1]!);
        return [client.index, longest];
      }),
    );
  }

  it("one PoP's check fails: it drains, the console lets it withdraw (the floor holds), its clients move; it comes back when the check recovers", async () => {
    await until(wire, (pops) => pops.every((pop) => pop.health === "up" && pop.state === "announced"), 60_000, LAB_POLL_MS);
    await waitForCatchment(h.lab, BASELINE_CATCHMENT, Date.now());
    const broke = Date.now();
    await closeBackbone("AMS1");
    const withdrawn = await until(wire, (pops) => pops[0]?.state === "withdrawn", 20_000, LAB_POLL_MS);
    expect(withdrawn.map((pop) => pop.state)).toEqual(["withdrawn", "announced", "announced", "announced"]);
    const { settledAt } = await waitForMoveAway(h.lab, [1, 6], "AMS1", broke);
    console.log(`lab: AMS1's check failed: its clients moved ${settledAt - broke} ms after the break (fall 2 at 1 s, then a lease)`);
    expect(await h.db.withdrawLease.count({ where: { releasedAt: null, pop: { code: "AMS1" } } })).toBe(1);

    const mended = Date.now();
    await openBackbone("AMS1");
    expect((await until(wire, (pops) => pops[0]?.state === "announced", 20_000, LAB_POLL_MS))[0]?.state).toBe("announced");
    await waitForCatchment(h.lab, BASELINE_CATCHMENT, mended, 20_000);
    expect(await until(() => h.db.withdrawLease.count({ where: { releasedAt: null } }), (count) => count === 0, 10_000, LAB_POLL_MS)).toBe(0);
  }, 120_000);

  it("breaks every PoP's check at once: at most PoPs minus floor withdraw, the rest stay announced and drained, every client keeps an answer", async () => {
    const healthy = await until(wire, (pops) => pops.every((pop) => pop.health === "up" && pop.state === "announced"), 60_000, LAB_POLL_MS);
    expect(healthy.map((pop) => [pop.code, pop.state, pop.health])).toEqual(h.lab.pops.map((pop) => [pop.code, "announced", "up"]));

    const broke = Date.now();
    await Promise.all([...backbones.keys()].map((code) => closeBackbone(code)));
    let mostWithdrawn = 0;
    let samples: Awaited<ReturnType<typeof wire>> = [];
    // fall 2 at 1 s, then lease requests and renewals: watch well past a lease round.
    while (Date.now() - broke < 12_000) {
      samples = await wire();
      mostWithdrawn = Math.max(mostWithdrawn, samples.filter((pop) => pop.state === "withdrawn").length);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const settled = Date.now();
    console.log(`lab: correlated failure: ${JSON.stringify(samples.map((pop) => [pop.code, pop.state]))}; at most ${mostWithdrawn} withdrawn at once`);
    expect(samples.every((pop) => pop.health === "down")).toBe(true);
    expect(mostWithdrawn).toBeLessThanOrEqual(h.lab.pops.length - FLOOR);
    const stillAnnounced = samples.filter((pop) => pop.state !== "withdrawn");
    expect(stillAnnounced.length).toBeGreaterThanOrEqual(FLOOR);
    expect(stillAnnounced.every((pop) => pop.state === "drained")).toBe(true);
    // The console never granted more live leases than the floor allows.
    expect(await h.db.withdrawLease.count({ where: { releasedAt: null, expiresAt: { gt: new Date() } } })).toBeLessThanOrEqual(h.lab.pops.length - FLOOR);
    // The console heard about it: every PoP's check is down there too, with its events.
    const checks = await until(() => h.db.healthCheck.findMany({ include: { pop: { select: { code: true } } } }), (rows) => rows.length === h.lab.pops.length && rows.every((row) => row.state === "down"), 10_000, LAB_POLL_MS);
    expect(checks.map((row) => row.state)).toEqual(h.lab.pops.map(() => "down"));

    const silences = longestSilence(broke, settled);
    console.log(`lab: correlated failure: longest stretch without an answer per client (ms): ${JSON.stringify(Object.fromEntries(silences))}`);
    for (const [client, longest] of silences) expect(longest, `client ${client}`).toBeLessThan(HOLD_TIME_MS);

    // The backbone comes back: every PoP rises, announces undrained again, and gives its lease back.
    for (const code of backbones.keys()) await openBackbone(code);
    const back = await until(wire, (pops) => pops.every((pop) => pop.state === "announced"), 20_000, LAB_POLL_MS);
    expect(back.map((pop) => pop.state)).toEqual(h.lab.pops.map(() => "announced"));
    expect(await until(() => h.db.withdrawLease.count({ where: { releasedAt: null, expiresAt: { gt: new Date() } } }), (count) => count === 0, 10_000, LAB_POLL_MS)).toBe(0);
  }, 120_000);
});
