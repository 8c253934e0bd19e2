// npm run bench:failover (Linux, root): from a console action to lab convergence, on real BGP.
// Brings up the lab (instance 2) and a console on it (port 3501, Postgres 25501), then runs
// drain / restore / withdraw / restore of AMS1 RUNS times through POST /api/v1/operations, the
// same path as the drain dialog. "Converged" = every client is answered by the PoP BGP should
// now pick, timed at the client's first such query. Probes query every 100 ms here.
//   RUNS=10 npm run bench:failover
import { percentile } from "../test/support/console-process";
import { startLabConsole, type LabConsole } from "../lab/harness";
import { BASELINE_CATCHMENT, labUnavailableReason, waitForCatchment, waitForMoveAway } from "../lab/lab";

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
// Filled in by the agent health-check work (issue #6, item 4): break a PoP's health check in
// the lab and time from the break to the agent sending the drain (its speaker apply). Return
// null while agent health checks are not built.
async function healthFailureToDrainMs(h: LabConsole): Promise<number | null> {
  void h;
  return null;
}
// ----------------------------------------------------------------------------------------------

const started = Date.now();
const h = await startLabConsole({ instance: 2, port: 3501, pgPort: 25501, probeIntervalMs: 100, pollIntervalMs: 2000, log: (line) => console.log(line) });
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
