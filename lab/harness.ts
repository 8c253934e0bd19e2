// The lab plus a console pointed at it, for the lab tests and bench/failover.ts: one call up,
// one call down, an operate() through the console's API, and what the console ingested and
// predicted, read from its database. What the clients themselves received is read by observe.ts
// (readClientResults, waitForCatchment).
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { consolePorts, startConsole, type ConsoleProcess } from "../test/support/console-process";
import { assertPortsFree } from "../test/support/ports";
import { createApiToken } from "../lib/server/auth/api-token";
import { createDbClient, type Db } from "../lib/server/db/create-client";
import type { EvidenceKind } from "../lib/domain/catchment/model";
import type { StoredPrediction } from "../lib/domain/catchment/accuracy";
import { startLab, stopLab, type LabInfo, type LabOptions } from "./lab";
import { currentCatchment } from "./observe";

const REPO = path.resolve(import.meta.dirname, "..");
// The lab's console runs no demo agents (its PoPs' agents are the lab's); the port is still kept free.
const LAB_CONSOLE_AGENT_BASE_PORT = 24700;

export type LabConsole = {
  lab: LabInfo;
  console: ConsoleProcess;
  /** The console's own database (read it to see what was ingested and recorded). */
  db: Db;
  /** An API token of the operator user with the operate scope. */
  operateToken: string;
  /** POST /api/v1/operations: the same request/execute path as the drain dialog. */
  operate(input: { kind: "drain" | "withdraw" | "restore"; pop: string; prependCount?: number; reason?: string }): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
};

export type LabConsoleOptions = LabOptions & {
  instance: number;
  port: number;
  pgPort: number;
  /** Console data folder (embedded Postgres); wiped at start. */
  dataDir?: string;
  /** Drift poller interval for the console (ms). */
  pollIntervalMs?: number;
  /** How long after an operation the console checks its prediction (CATCHMENT_SETTLE_SECONDS); the lab converges in well under a second. */
  settleSeconds?: number;
};

/** Brings up a fresh lab (agent state wiped) and a fresh console seeded for it. */
export async function startLabConsole(options: LabConsoleOptions): Promise<LabConsole> {
  // Before building the lab: a console of someone else's on these ports fails here, by name.
  await assertPortsFree(consolePorts({ port: options.port, pgPort: options.pgPort, agentBasePort: LAB_CONSOLE_AGENT_BASE_PORT }));
  const dataDir = path.resolve(options.dataDir ?? path.join(REPO, ".data", `lab-console-${options.instance}`));
  const runDir = path.resolve(options.runDir ?? path.join(REPO, ".data", "lab-net", String(options.instance)));
  await stopLab({ instance: options.instance, runDir });
  rmSync(runDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  const lab = await startLab({ ...options, runDir });
  let console_: ConsoleProcess | null = null;
  try {
    console_ = await startConsole({
      port: options.port,
      pgPort: options.pgPort,
      agentBasePort: LAB_CONSOLE_AGENT_BASE_PORT,
      dataDir,
      // The lab's agents reach the console from their namespaces, not over loopback.
      env: {
        HOST: "0.0.0.0",
        CATCHMENT_LAB_RUN_DIR: runDir, CATCHMENT_POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 1000),
        CATCHMENT_SETTLE_SECONDS: String(options.settleSeconds ?? 2),
        LOG_LEVEL: "warn",
      },
    });
  } catch (error) {
    await stopLab({ instance: options.instance, runDir });
    throw error;
  }
  const running = console_;
  // The console's own database role, as `npm start` leaves its URL in the data folder.
  const db = createDbClient(readFileSync(path.join(dataDir, "database-url"), "utf8").trim(), 3);
  let operateToken: string;
  try {
    const operator = await db.user.findUniqueOrThrow({ where: { username: "operator" } });
    ({ token: operateToken } = await createApiToken(db, { userId: operator.id, name: "lab tests", scopes: ["operate", "read"] }));
  } catch (error) {
    // Nothing is left running for a test that never got its handle to stop it.
    await db.$disconnect().catch(() => undefined);
    await stopLab({ instance: options.instance, runDir });
    await running.stop("SIGINT");
    throw error;
  }
  return {
    lab,
    console: running,
    db,
    operateToken,
    async operate({ kind, pop, prependCount, reason }) {
      const response = await fetch(`${running.baseUrl}/api/v1/operations`, {
        method: "POST",
        headers: { authorization: `Bearer ${operateToken}`, "content-type": "application/json" },
        body: JSON.stringify({ kind, popCodes: pop, prependCount, reason: reason ?? `lab: ${kind} ${pop}`, confirmCode: kind === "withdraw" ? pop : undefined }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async stop() {
      await db.$disconnect().catch(() => undefined);
      // The lab first: its reporter posts every second on a keep-alive connection, which would
      // keep the console's next-server from ever finishing its graceful shutdown.
      await stopLab({ instance: options.instance, runDir });
      await running.stop("SIGINT");
    },
  };
}


/** The PoP code each lab probe's latest ingested measurement maps to (from the console's current catchment). */
export async function ingestedCatchment(db: Db, lab: LabInfo, since: Date): Promise<Map<number, string | null>> {
  const [probes, pops] = await Promise.all([db.probe.findMany({ where: { source: "lab" }, select: { id: true, externalId: true } }), db.pop.findMany({ select: { id: true, code: true } })]);
  const rows = await db.currentCatchment.findMany({ where: { probeId: { in: probes.map((probe) => probe.id) }, measuredAt: { gte: since } } });
  const externalId = new Map(probes.map((probe) => [probe.id, probe.externalId]));
  const code = new Map(pops.map((pop) => [pop.id, pop.code]));
  const byProbe = new Map(rows.map((row) => [externalId.get(row.probeId)!, row.popId === null ? null : (code.get(row.popId) ?? null)]));
  return new Map(lab.clients.map((client) => [client.index, byProbe.get(String(client.probeId)) ?? null]));
}

/** Waits until the console's ingested catchment shows `expected` for the given clients. */
export async function waitForIngested(db: Db, lab: LabInfo, expected: Record<number, string | ((code: string | null) => boolean)>, since: Date, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let seen = new Map<number, string | null>();
  for (;;) {
    seen = await ingestedCatchment(db, lab, since);
    const ok = Object.entries(expected).every(([client, want]) => {
      const got = seen.get(Number(client)) ?? null;
      return typeof want === "function" ? want(got) : got === want;
    });
    if (ok) return seen;
    if (Date.now() > deadline) {
      throw new Error(`the console's ingested catchment did not reach the expected state within ${timeoutMs} ms: ${JSON.stringify(Object.fromEntries(seen))}`);
    }
    await sleep(250);
  }
}

/** What the console predicted for one lab client when it accepted an operation, and the PoP that really answered it after. */
export type ClientPrediction = { client: number; predicted: string | null; evidence: EvidenceKind; answered: string | null };

/**
 * The prediction the console stored with an operation (the one its preview and capacity check
 * made), client by client, against the PoP that answered each client's latest query since
 * `since`: what BIRD's routing really did.
 */
export async function predictionAgainstAnswers(db: Db, lab: LabInfo, operationId: string, since: number): Promise<ClientPrediction[]> {
  const [operation, probes, pops] = await Promise.all([
    db.operation.findUniqueOrThrow({ where: { id: operationId }, select: { prediction: true } }),
    db.probe.findMany({ where: { source: "lab" }, select: { id: true, externalId: true } }),
    db.pop.findMany({ select: { id: true, code: true } }),
  ]);
  const stored = (operation.prediction as unknown as StoredPrediction[] | null) ?? [];
  if (stored.length !== 1) throw new Error(`operation ${operationId} stored ${stored.length} prefix predictions; the lab has one prefix`);
  const clientOf = new Map(probes.map((probe) => [probe.id, lab.clients.find((client) => String(client.probeId) === probe.externalId)?.index]));
  const codeOf = new Map(pops.map((pop) => [pop.id, pop.code]));
  const answered = currentCatchment(lab, since);
  return stored[0]!.probes.flatMap(([probeId, , popId, evidence]) => {
    const client = clientOf.get(probeId);
    if (client === undefined) return [];
    return [{ client, predicted: popId === null ? null : (codeOf.get(popId) ?? null), evidence, answered: answered.get(client) ?? null }];
  });
}
