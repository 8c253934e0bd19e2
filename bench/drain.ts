// `npm run bench:drain`: the drain server action's work, end to end to the last agent's
// acknowledgement (plan, safety checks under the lock, records, parallel signed HTTP calls,
// results), draining 20 and then 300 PoPs at once, each agent answering in about 50 ms.
// Runs the same server code as the action, minus the session check, against an embedded
// Postgres and a real agent fleet process.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { operationInput } from "../lib/domain/operations/operation-input";
import { startEmbeddedPostgres } from "../lib/server/db/embedded-postgres";
import { applyMigrations } from "../lib/server/db/migrate";
import { createDbClient } from "../lib/server/db/create-client";
import { freePorts, startAgentProcess } from "../test/support/agent-processes";
import { percentile } from "../test/support/console-process";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SECRET = "bench-secret-0123456789abcdef0123";
const PREFIX = "192.0.2.0/24";

const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-drain-"));
const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: 25480, persistent: false });
process.env.DATABASE_URL = postgres.url;
process.env.LOG_LEVEL = "error";
await applyMigrations(postgres.url);
const { requestOperation } = await import("../lib/server/operations/request-operation");
const { executeOperation } = await import("../lib/server/operations/execute-operation");
const db = createDbClient(postgres.url);

try {
  const user = await db.user.create({ data: { username: "bench", name: "Bench", role: "operator" } });
  const prefix = await db.prefix.create({ data: { cidr: PREFIX, family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 1 } });
  await db.roa.create({ data: { prefix: PREFIX, family: 4, length: 24, maxLength: 24, asn: 64500n } });
  // One PoP outside every operation keeps the floor.
  const keeper = await db.pop.create({ data: { code: "KEP1", name: "keeper", city: "x", country: "NL", latitude: 0, longitude: 0, region: "europe", capacityGbps: 100 } });
  await db.announcement.create({ data: { popId: keeper.id, prefixId: prefix.id } });

  for (const count of [20, 300]) {
    const codes: string[] = [];
    const agents = [];
    const ports = await freePorts(count);
    for (let i = 0; i < count; i++) {
      const code = `B${String.fromCharCode(65 + Math.floor(i / 26) % 26)}${String.fromCharCode(65 + (i % 26))}${count === 20 ? 1 : 2}`;
      const port = ports[i]!;
      const pop = await db.pop.create({
        data: { code, name: code, city: "x", country: "NL", latitude: i / 10, longitude: i / 10, region: "europe", capacityGbps: 100, agentUrl: `http://127.0.0.1:${port}`, agentSecret: SECRET },
      });
      await db.announcement.create({ data: { popId: pop.id, prefixId: prefix.id } });
      codes.push(code);
      agents.push({ pop: code, port, secret: SECRET, prefixes: [PREFIX], applyDelayMs: 50 });
    }
    const fleet = await startAgentProcess(agents);
    try {
      const samples: Record<"drain" | "restore", number[]> = { drain: [], restore: [] };
      const checks: number[] = [];
      for (let run = 0; run < RUNS + 1; run++) {
        for (const kind of ["drain", "restore"] as const) {
          const started = performance.now();
          const requested = await requestOperation(db, operationInput.parse({ kind, popCodes: codes, reason: "bench" }), { id: user.id, name: "bench", role: "operator" }, null);
          if (requested.status !== "accepted") throw new Error(`refused: ${JSON.stringify(requested.verdict)}`);
          const checked = performance.now();
          const status = await executeOperation(db, requested.operationId);
          if (status !== "succeeded") throw new Error(`${kind} ended ${status}`);
          // The first round warms connections and JIT; it is not counted.
          if (run > 0) {
            samples[kind].push(performance.now() - started);
            checks.push(checked - started);
          }
        }
      }
      console.log(`  of which plan, safety checks and records (before any agent call): p50 ${percentile(checks, 50).toFixed(0)} ms, p95 ${percentile(checks, 95).toFixed(0)} ms`);
      for (const kind of ["drain", "restore"] as const) {
        console.log(
          `${kind} of ${String(count).padStart(3)} PoPs (agents answer in ~50 ms), ${RUNS} runs: p50 ${percentile(samples[kind], 50).toFixed(0)} ms, p95 ${percentile(samples[kind], 95).toFixed(0)} ms`,
        );
      }
    } finally {
      await fleet.stop();
      await db.announcement.deleteMany({ where: { pop: { code: { in: codes } } } });
    }
  }
} finally {
  await db.$disconnect();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
