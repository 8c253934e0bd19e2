import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRoutes, pathFrom } from "../agent/speakers/bird-parse";
import { signIn } from "../test/support/console-process";
import { until } from "../test/support/until";
import { ingestedCatchment, predictionAgainstAnswers, startLabConsole, waitForIngested, type ClientPrediction, type LabConsole } from "./harness";
import { labUnavailableReason } from "./lab";
import { BASELINE_CATCHMENT, readClientResults, waitForCatchment, waitForMoveAway } from "./observe";
import { labPid, restartPopBird } from "./processes";
import { LAB_ASN } from "./topology";

// Real BGP in network namespaces, driven through the console: see lab/README.md.
// Ports: console 3500, its Postgres 25500; lab instance 1.
const unavailable = labUnavailableReason();
if (unavailable) {
  console.warn(`\n${"!".repeat(100)}\n!!! LAB TESTS SKIPPED: ${unavailable}.\n!!! They need Linux, root, iproute2 and BIRD 2; CI runs them as root.\n${"!".repeat(100)}\n`);
}

const AMS1_CLIENTS = [1, 6];
const SETTLE_SECONDS = 2;
/** Where BGP sends the clients while AMS1 is drained: client 6 (behind T6, a peer of AMS1's transit) takes T5's shorter path to SIN1. */
const DRAINED_CATCHMENT = { ...BASELINE_CATCHMENT, 6: "SIN1" };
const transitSocket = (lab: LabConsole["lab"], transit: number) => `${lab.runDir}/t${transit}/bird.ctl`;
const birdc = (socket: string, ...args: string[]) => spawnSync("birdc", ["-s", socket, ...args], { encoding: "utf8" }).stdout;

describe.skipIf(unavailable !== null)("the BGP lab, driven from the console", () => {
  let h: LabConsole;

  beforeAll(async () => {
    h = await startLabConsole({ instance: 1, port: 3500, pgPort: 25500, probeIntervalMs: 200, pollIntervalMs: 1000, settleSeconds: SETTLE_SECONDS });
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** Runs an operation through the console and returns when the console answered. */
  async function act(kind: "drain" | "withdraw" | "restore", pop: string, prependCount?: number) {
    const started = Date.now();
    const { status, body } = await h.operate({ kind, pop, prependCount });
    expect({ status, body }).toMatchObject({ status: 200, body: { status: "succeeded" } });
    return { started, operationId: String(body.operationId) };
  }

  /**
   * Keeps the state until the console has ingested every client's answer from a whole second
   * after the operation settled (results carry whole seconds): the measurement the model learns
   * from when it predicts the next change.
   */
  async function holdUntilSettled(operationId: string, expected: Record<number, string>) {
    const { finishedAt } = await h.db.operation.findUniqueOrThrow({ where: { id: operationId }, select: { finishedAt: true } });
    await waitForIngested(h.db, h.lab, expected, new Date(finishedAt!.getTime() + SETTLE_SECONDS * 1000 + 1000));
  }

  /** The console's prediction for the operation against the clients' real answers; prints both. */
  async function checkPrediction(what: string, operationId: string, since: number): Promise<ClientPrediction[]> {
    const clients = await predictionAgainstAnswers(h.db, h.lab, operationId, since);
    const right = clients.filter((client) => client.predicted === client.answered).length;
    const detail = clients.map((c) => `${c.client}: ${c.predicted} (${c.evidence}) ${c.predicted === c.answered ? "=" : "but"} ${c.answered}`).join("; ");
    console.log(`lab: prediction of ${what}: ${right} of ${clients.length} clients right (${((right / clients.length) * 100).toFixed(0)} %): ${detail}`);
    return clients;
  }

  const share = (clients: readonly ClientPrediction[]) => clients.filter((client) => client.predicted === client.answered).length / clients.length;
  const print = (what: string, started: number, settled: number) => console.log(`lab: ${what}: all clients settled ${settled - started} ms after the console action`);

  it("starts with BGP's catchment, and the console ingests what the clients receive", async () => {
    const since = Date.now();
    await waitForCatchment(h.lab, BASELINE_CATCHMENT, since);
    await waitForIngested(h.db, h.lab, BASELINE_CATCHMENT, new Date(since - 1000));
    // The API is a real one: a token without the operate scope, and a bad body, are refused.
    const viewerLike = await fetch(`${h.console.baseUrl}/api/v1/operations`, { method: "POST", headers: { authorization: "Bearer ctm_nope" }, body: "{}" });
    expect(viewerLike.status).toBe(401);
    const bad = await fetch(`${h.console.baseUrl}/api/v1/operations`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.operateToken}`, "content-type": "application/json" },
      body: JSON.stringify({ kind: "drain", popCodes: "AMS1" }),
    });
    expect(bad.status).toBe(400);
  });

  it("drain: BIRD prepends, a client with another path moves, the client behind AMS1's own transit stays", async () => {
    const { started, operationId } = await act("drain", "AMS1", 3);
    // What AMS1's transit really receives from it: the PoP's ASN 1 + 3 times.
    const routes = parseRoutes(birdc(transitSocket(h.lab, 1), "show", "route", h.lab.prefix, "protocol", "customer_ams1", "all"));
    const received = pathFrom(routes, h.lab.prefix, "customer_ams1");
    expect(received?.asPath).toEqual([LAB_ASN, LAB_ASN, LAB_ASN, LAB_ASN]);
    print("drain AMS1", started, await waitForCatchment(h.lab, DRAINED_CATCHMENT, started));
    // Customer over peer: client 1 (behind T1, AMS1's transit) never left AMS1.
    // Several answers since the drain (convergence can be quicker than three probe rounds).
    const client1 = await until(async () => readClientResults(h.lab, 1, started), (results) => results.length > 3, 15_000, 200);
    expect(client1.length).toBeGreaterThan(3);
    expect(new Set(client1.map((result) => result.answer))).toEqual(new Set(["ams1.lab.catchment"]));
    await holdUntilSettled(operationId, DRAINED_CATCHMENT);
    // The PoP page shows what AMS1's transit receives, as the agent read it from BIRD.
    const cookie = await signIn(h.console.baseUrl, "viewer", "catchment-viewer");
    await expect
      .poll(async () => (await fetch(`${h.console.baseUrl}/pops/AMS1`, { headers: { cookie } })).text(), { timeout: 10_000 })
      .toMatch(/aria-label="Exported to transit_t1"[\s\S]*?198\.51\.100\.0\/24[\s\S]*?64500 64500 64500 64500/);

    // A first drain: the console has never seen AMS1 drained. Client 1 carries the ASN of AMS1's
    // transit, so the model infers it stays (a customer route). Client 6 has no such tie: the
    // fallback sends it to the nearest other PoP, Frankfurt, while BGP takes T5's shorter path
    // to Singapore. Nothing in the console's data shows that path before the first drain.
    const predicted = await checkPrediction("the first drain of AMS1", operationId, started);
    expect(predicted.find((c) => c.client === 1)).toMatchObject({ predicted: "AMS1", evidence: "inferred", answered: "AMS1" });
    expect(predicted.filter((c) => !AMS1_CLIENTS.includes(c.client)).every((c) => c.predicted === c.answered)).toBe(true);
    expect(share(predicted)).toBeGreaterThanOrEqual(0.8);

    const restored = await act("restore", "AMS1");
    print("restore after drain", restored.started, await waitForCatchment(h.lab, BASELINE_CATCHMENT, restored.started));
    await holdUntilSettled(restored.operationId, BASELINE_CATCHMENT);
  });

  it("withdraw: every client of AMS1 moves; restore: they come back", async () => {
    const { started, operationId } = await act("withdraw", "AMS1");
    expect(birdc(transitSocket(h.lab, 1), "show", "route", h.lab.prefix, "protocol", "customer_ams1")).not.toContain(h.lab.prefix);
    // Elsewhere nothing changes; AMS1's clients go to whichever PoP BGP picks next.
    await waitForCatchment(h.lab, { 2: "FRA1", 3: "NYC1", 4: "SIN1", 5: "SIN1" }, started);
    const { settledAt: settled, now } = await waitForMoveAway(h.lab, AMS1_CLIENTS, "AMS1", started);
    console.log(`lab: after the withdraw AMS1's clients are on ${JSON.stringify(Object.fromEntries(now))}`);
    print("withdraw AMS1", started, settled);
    const withdrawn = { ...BASELINE_CATCHMENT, ...Object.fromEntries([...now].map(([client, code]) => [client, code ?? "none"])) };
    await holdUntilSettled(operationId, withdrawn);
    const predicted = await checkPrediction("the withdraw of AMS1", operationId, started);
    expect(share(predicted)).toBeGreaterThanOrEqual(0.9);

    const restored = await act("restore", "AMS1");
    print("restore after withdraw", restored.started, await waitForCatchment(h.lab, BASELINE_CATCHMENT, restored.started));
    await holdUntilSettled(restored.operationId, BASELINE_CATCHMENT);
  });

  it("predicts a second drain and withdraw of AMS1 from what it measured the first time, every client right", async () => {
    const drain = await act("drain", "AMS1", 3);
    await waitForCatchment(h.lab, DRAINED_CATCHMENT, drain.started);
    await holdUntilSettled(drain.operationId, DRAINED_CATCHMENT);
    const drained = await checkPrediction("a drain of AMS1 observed before", drain.operationId, drain.started);
    expect(share(drained)).toBeGreaterThanOrEqual(0.9);
    // Client 6's move to Singapore is now known from the first drain, not guessed.
    expect(drained.find((c) => c.client === 6)).toMatchObject({ predicted: "SIN1", evidence: "observed" });

    const back = await act("restore", "AMS1");
    await waitForCatchment(h.lab, BASELINE_CATCHMENT, back.started);
    await holdUntilSettled(back.operationId, BASELINE_CATCHMENT);

    const withdraw = await act("withdraw", "AMS1");
    const { now } = await waitForMoveAway(h.lab, AMS1_CLIENTS, "AMS1", withdraw.started);
    await holdUntilSettled(withdraw.operationId, { ...BASELINE_CATCHMENT, ...Object.fromEntries([...now].map(([client, code]) => [client, code ?? "none"])) });
    const withdrawn = await checkPrediction("a withdraw of AMS1 observed before", withdraw.operationId, withdraw.started);
    expect(share(withdrawn)).toBeGreaterThanOrEqual(0.9);
    expect(withdrawn.filter((c) => AMS1_CLIENTS.includes(c.client)).map((c) => c.evidence)).toEqual(["observed", "observed"]);

    const restored = await act("restore", "AMS1");
    await waitForCatchment(h.lab, BASELINE_CATCHMENT, restored.started);
  });

  it("kill -9 of AMS1's BIRD: its clients move, and the console marks the session down and shows why", async () => {
    const pid = labPid(h.lab, "bird-pop1");
    expect(pid).not.toBeNull();
    const killed = Date.now();
    process.kill(pid!, "SIGKILL");
    try {
      await waitForCatchment(h.lab, { 2: "FRA1", 3: "NYC1", 4: "SIN1", 5: "SIN1" }, killed);
      const { settledAt } = await waitForMoveAway(h.lab, AMS1_CLIENTS, "AMS1", killed);
      console.log(`lab: kill -9 BIRD: AMS1's clients moved ${settledAt - killed} ms after the kill`);
      // The drift poller reads the agent, whose driver finds BIRD gone.
      const pop = await until(
        () => h.db.pop.findUniqueOrThrow({ where: { code: "AMS1" }, include: { upstreams: true } }),
        (read) => read.upstreams[0]?.state === "idle" && read.agentError !== null,
        15_000,
        250,
      );
      expect(pop.upstreams.map((upstream) => [upstream.name, upstream.state])).toEqual([["transit_t1", "idle"]]);
      expect(pop.agentError).toMatch(/BGP speaker down: BIRD is not running/);
      const cookie = await signIn(h.console.baseUrl, "viewer", "catchment-viewer");
      const page = await (await fetch(`${h.console.baseUrl}/pops/AMS1`, { headers: { cookie } })).text();
      expect(page).toMatch(/role="alert" aria-label="Agent error"[^>]*>.*BGP speaker down: BIRD is not running/);
      expect(page).toContain("transit_t1");
      const ingested = await ingestedCatchment(h.db, h.lab, new Date(killed));
      console.log(`lab: kill -9 BIRD: ingested catchment of AMS1's clients now ${JSON.stringify(AMS1_CLIENTS.map((client) => ingested.get(client)))}`);
    } finally {
      restartPopBird(h.lab, 1);
    }
    const back = Date.now();
    print("BIRD restarted", back, await waitForCatchment(h.lab, BASELINE_CATCHMENT, back, 20_000));
  });
});
