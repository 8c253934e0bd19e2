// npm run bench:failover (Linux, root): from a console action to lab convergence, on real BGP.
// Brings up the lab (instance 2) and a console on it (port 3501, Postgres 25501), then runs
// drain / restore / withdraw / restore of AMS1 RUNS times through POST /api/v1/operations, the
// same path as the drain dialog. "Converged" = every client is answered by the PoP BGP should
// now pick, timed at the client's first such query. Probes query every 100 ms here.
//   RUNS=10 npm run bench:failover
import { createServer, type AddressInfo, type Server } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createAgentClient } from "../lib/agent-protocol/client";
import { labNames, type LabPop } from "../lab/topology";
import { percentile } from "../test/support/console-process";
import { startLabConsole, type LabConsole } from "../lab/harness";
import { labUnavailableReason } from "../lab/lab";
import { BASELINE_CATCHMENT, waitForCatchment, waitForMoveAway } from "../lab/observe";

const RUNS = Number(process.env.RUNS ?? 10);
const reason = labUnavailableReason();
if (reason) {
  console.error(`bench:failover: ${reason}`);
  process.exit(1);
}

type Sample = { console: number; converged: number };
const samples: Record<"drain" | "withdraw" | "restore", Sample[]> = { drain: [], withdraw: [], restore: [] };

async function act(h: LabConsole, kind: "drain" | "withdraw" | "restore"): Promise<{ started: number; answered: number }> {
  const started = Date.now();
  const { status, body } = await h.operate({ kind, pop: "AMS1", prependCount: 3, reason: `bench: ${kind}` });
  if (status !== 200 || body.status !== "succeeded") throw new Error(`${kind} failed: ${status} ${JSON.stringify(body)}`);
  return { started, answered: Date.now() };
}

async function restore(h: LabConsole) {
  const { started, answered } = await act(h, "restore");
  const settled = await waitForCatchment(h.lab, BASELINE_CATCHMENT, started);
  samples.restore.push({ console: answered - started, converged: settled - started });
}

// ---- health failure to drain sent ----------------------------------------------------------
// AMS1's agent checks a "backbone" TCP endpoint in this process (over its management link)
// every 1 s (timeout 500 ms, rise 2, fall 2); no console is configured for it, so it only ever
// drains. A run breaks that endpoint at a random point of the check cycle and times until the
// agent reports the drain on the wire (its BIRD driver has rewritten the prepend and run
// `birdc configure`), polling its status every 20 ms; then it mends the endpoint and waits for
// the agent to announce again.
const backbone: { server: Server | null; port: number } = { server: null, port: 0 };
async function openBackbone(): Promise<void> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(backbone.port, "0.0.0.0", resolve));
  backbone.server = server;
  backbone.port = (server.address() as AddressInfo).port;
}
const closeBackbone = () => new Promise<void>((resolve) => (backbone.server ? backbone.server.close(() => resolve()) : resolve()));
const healthCheckedPop = (pop: LabPop): Record<string, unknown> =>
  pop.code === "AMS1"
    ? { healthChecks: [{ name: "backbone", kind: "tcp", target: `${labNames(2).mgmtHost(pop.index)}:${backbone.port}`, intervalMs: 1000, fastIntervalMs: 250, timeoutMs: 500, rise: 2, fall: 2 }] }
    : {};

async function healthFailureToDrainMs(h: LabConsole): Promise<number | null> {
  const ams1 = h.lab.pops.find((pop) => pop.code === "AMS1")!;
  const agent = createAgentClient({ url: ams1.agentUrl, secret: h.lab.secret, timeoutMs: 2000 });
  const read = async () => {
    const status = await agent.status();
    if (!status.ok) throw new Error(`AMS1 agent: ${status.error.message}`);
    return { wire: status.value.announcements[0]!.state, check: status.value.health[0]?.state };
  };
  const until = async (done: (s: Awaited<ReturnType<typeof read>>) => boolean, pollMs: number, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (done(await read())) return;
      if (Date.now() > deadline) throw new Error("AMS1's agent did not reach the expected health state in time");
      await sleep(pollMs);
    }
  };
  await until((s) => s.check === "up" && s.wire === "announced", 100);
  await sleep(Math.random() * 1000);
  const broke = performance.now();
  await closeBackbone();
  await until((s) => s.wire === "drained", 20);
  const elapsed = Math.round(performance.now() - broke);
  await openBackbone();
  await until((s) => s.check === "up" && s.wire === "announced", 100);
  return elapsed;
}
// ----------------------------------------------------------------------------------------------

const started = Date.now();
await openBackbone();
const h = await startLabConsole({ instance: 2, port: 3501, pgPort: 25501, probeIntervalMs: 100, pollIntervalMs: 2000, agentConfig: healthCheckedPop, log: (line) => console.log(line) });
console.log(`lab and console up in ${((Date.now() - started) / 1000).toFixed(1)} s; ${RUNS} runs of drain, restore, withdraw, restore on AMS1`);
const health: number[] = [];
try {
  await waitForCatchment(h.lab, BASELINE_CATCHMENT, Date.now());
  // One warm-up round (first requests compile routes and open connections), not counted.
  await act(h, "drain");
  await waitForCatchment(h.lab, { ...BASELINE_CATCHMENT, 6: "SIN1" }, Date.now() - 5000);
  await act(h, "restore");
  await waitForCatchment(h.lab, BASELINE_CATCHMENT, Date.now());
  for (let run = 1; run <= RUNS; run += 1) {
    const drain = await act(h, "drain");
    const drained = await waitForCatchment(h.lab, { ...BASELINE_CATCHMENT, 6: "SIN1" }, drain.started);
    samples.drain.push({ console: drain.answered - drain.started, converged: drained - drain.started });
    await restore(h);
    const withdraw = await act(h, "withdraw");
    await waitForCatchment(h.lab, { 2: "FRA1", 3: "NYC1", 4: "SIN1", 5: "SIN1" }, withdraw.started);
    const { settledAt } = await waitForMoveAway(h.lab, [1, 6], "AMS1", withdraw.started);
    samples.withdraw.push({ console: withdraw.answered - withdraw.started, converged: settledAt - withdraw.started });
    await restore(h);
    const measured = await healthFailureToDrainMs(h);
    if (measured !== null) health.push(measured);
    process.stdout.write(`run ${run}/${RUNS} done\n`);
  }
} finally {
  await h.stop();
  await closeBackbone();
}

const row = (name: string, values: number[]) =>
  `${name.padEnd(44)} p50 ${String(percentile(values, 50)).padStart(5)} ms   p95 ${String(percentile(values, 95)).padStart(5)} ms   (n=${values.length})`;
console.log("\nconsole action -> lab convergence (all clients answered by the expected PoP)");
for (const kind of ["drain", "withdraw", "restore"] as const) {
  console.log(row(`${kind}: action to convergence`, samples[kind].map((sample) => sample.converged)));
  console.log(row(`${kind}: console answered the API call`, samples[kind].map((sample) => sample.console)));
}
console.log(health.length ? row("health failure to drain sent", health) : "health failure to drain sent: not measured (agent health checks not built in this tree)");
console.log("reference: anycast-healthchecker reacts after its check interval x fall = 10 s x 2 = 20 s by default");
