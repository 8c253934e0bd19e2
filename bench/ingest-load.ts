// The "load" section of `npm run bench:catchment`: how the console's pages answer while large
// ingests run, and how much memory the console's server takes for them (issue #14, point 7).
// It starts its own console (`npm start` on the demo fleet, on a Postgres of its own so it can
// issue ingest tokens), signs in as the demo viewer, and prints:
//   - p50/p95/max of the overview (/) and /catchment pages, alone and while two ingests of
//     BENCH_INGEST_MB (default 24) of NDJSON each run at once, with two tokens;
//   - the server's peak RSS (VmHWM of the process listening on the console's port) during one
//     ingest of BENCH_BIG_INGEST_MB (default 95) of NDJSON, with the body limit raised for it.
// Ports: BENCH_LOAD_PORTS="console,postgres,consolePostgres,agentBase" (default 3221,25471,25472,27400).
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createApiToken } from "../lib/server/auth/api-token";
import { createDbClient } from "../lib/server/db/create-client";
import { startEmbeddedPostgres } from "../lib/server/db/embedded-postgres";
import { percentile, signIn, startConsole, timeRequest } from "../test/support/console-process";
import { memoryOf, pidListening } from "../test/support/process-info";

const [PORT, PG_PORT, CONSOLE_PG_PORT, AGENT_BASE_PORT] = (process.env.BENCH_LOAD_PORTS ?? "3221,25471,25472,27400").split(",").map(Number) as [number, number, number, number];
const INGEST_MB = Number(process.env.BENCH_INGEST_MB ?? 24);
const BIG_INGEST_MB = Number(process.env.BENCH_BIG_INGEST_MB ?? 95);
const PAGES = ["/", "/catchment"];
const BASELINE_REQUESTS = 30;

type Fleet = { target: string; popCodes: string[] };

/** NDJSON of the simple format, `megabytes` long: new probes (placed by the records) answering the fleet's PoPs. */
function ndjsonBody(megabytes: number, probePrefix: string, fleet: Fleet): string {
  const lines: string[] = [];
  let size = 0;
  const start = Math.floor(Date.now() / 1000) - 20 * 3600;
  for (let n = 0; size < megabytes * 1024 * 1024; n++) {
    const probe = n % 20_000;
    const line = JSON.stringify({
      probe_id: `${probePrefix}${probe}`,
      lat: (probe % 170) - 85,
      lon: ((probe * 7) % 360) - 180,
      pop: fleet.popCodes[(probe + Math.floor(n / 20_000)) % fleet.popCodes.length],
      rtt_ms: 5 + (n % 200) / 3,
      timestamp: start + Math.floor(n / 20_000) * 60,
      target: fleet.target,
    });
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n") + "\n";
}


/** Loads the pages in turn until `until` settles; samples per page. */
async function samplePages(baseUrl: string, cookie: string, until: Promise<unknown> | number): Promise<Map<string, number[]>> {
  const samples = new Map(PAGES.map((page) => [page, [] as number[]]));
  let done = false;
  if (typeof until !== "number") void until.finally(() => (done = true));
  for (let round = 0; typeof until === "number" ? round < until : !done; round++) {
    for (const page of PAGES) samples.get(page)!.push(await timeRequest(baseUrl + page, cookie));
  }
  return samples;
}

function printPages(label: string, samples: Map<string, number[]>) {
  for (const [page, times] of samples) {
    const figure = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
    console.log(`  ${label.padEnd(28)} ${page.padEnd(11)} ${String(times.length).padStart(4)} loads  p50 ${figure(percentile(times, 50))}  p95 ${figure(percentile(times, 95))}  max ${figure(Math.max(...times))}`);
  }
}

/** Posts with node:http, which waits as long as the console takes (fetch gives up after 300 s without headers). */
async function ingest(baseUrl: string, token: string, body: string): Promise<{ status: number | string; seconds: number; summary: string }> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const answer = await new Promise<{ status: number; text: string } | Error>((resolve) => {
    // A connection of its own: a kept-alive one the console closed meanwhile would fail at once.
    const request = http.request(`${baseUrl}/api/v1/measurements?format=ndjson`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", "content-length": Buffer.byteLength(body) },
    });
    request.on("response", (response) => {
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(parts).toString("utf8") }));
      response.on("error", resolve);
    });
    // A console that answers before it has read the body (a refusal) closes the connection while
    // the body is still being written: its answer may still arrive.
    request.on("error", (error) => setTimeout(() => resolve(error), 2000));
    request.end(body);
  });
  if (answer instanceof Error) return { status: "no answer", seconds: seconds(), summary: `the connection failed: ${answer.message}` };
  const json = JSON.parse(answer.text) as { written?: number; alreadyStored?: number; issueCount?: number; error?: { message: string } };
  const ok = answer.status === 200;
  const summary = ok ? `${json.written} written, ${json.alreadyStored} already stored, ${json.issueCount} issues` : (json.error?.message ?? "");
  return { status: answer.status, seconds: seconds(), summary };
}

export async function benchIngestLoad() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-load-"));
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: PG_PORT, persistent: false });
  const server = await startConsole({
    port: PORT,
    pgPort: CONSOLE_PG_PORT,
    agentBasePort: AGENT_BASE_PORT,
    dataDir: path.join(dir, "console"),
    // The big ingest below goes past the default body limit on purpose, to compare with the old figures.
    env: { DATABASE_URL: postgres.url, CATCHMENT_DEMO: "1", CATCHMENT_INGEST_MAX_MB: String(Math.ceil(BIG_INGEST_MB) + 5) },
  });
  const db = createDbClient(postgres.url, 2);
  try {
    const operator = await db.user.findUniqueOrThrow({ where: { username: "operator" } });
    const tokens = await Promise.all(["bench-feed-a", "bench-feed-b", "bench-feed-big"].map((name) => createApiToken(db, { userId: operator.id, name, scopes: ["ingest"] })));
    const prefix = await db.prefix.findFirstOrThrow({ orderBy: { cidr: "asc" } });
    const fleet: Fleet = { target: prefix.cidr, popCodes: (await db.pop.findMany({ select: { code: true } })).map((pop) => pop.code) };
    const cookie = await signIn(server.baseUrl, "viewer", "catchment-viewer");
    const pid = pidListening(PORT);
    if (pid === null) throw new Error(`no process listens on port ${PORT}`);

    console.log(`  demo fleet (${fleet.popCodes.length} PoPs), ingests of the simple NDJSON format into ${fleet.target}`);
    await samplePages(server.baseUrl, cookie, 5);
    printPages("no ingest running", await samplePages(server.baseUrl, cookie, BASELINE_REQUESTS));

    const bodies = [ndjsonBody(INGEST_MB, "bench-a-", fleet), ndjsonBody(INGEST_MB, "bench-b-", fleet)];
    const both = Promise.all(bodies.map((body, i) => ingest(server.baseUrl, tokens[i]!.token, body)));
    printPages(`two ${INGEST_MB} MB ingests at once`, await samplePages(server.baseUrl, cookie, both));
    for (const [i, result] of (await both).entries()) {
      console.log(`  ingest ${i + 1}: HTTP ${result.status} in ${result.seconds.toFixed(1)} s (${result.summary})`);
    }

    bodies.length = 0;
    const big = ndjsonBody(BIG_INGEST_MB, "bench-big-", fleet);
    const before = memoryOf(pid);
    let peak = before.rssMb;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rssMb)), 100);
    const result = await ingest(server.baseUrl, tokens[2]!.token, big).finally(() => clearInterval(sampler));
    if (typeof result.status !== "number") console.log(`  the console printed last:\n${server.output().split("\n").slice(-15).join("\n")}`);
    const after = memoryOf(pid);
    console.log(
      `  one ${BIG_INGEST_MB} MB ingest (${(big.length / 1024 / 1024).toFixed(0)} MiB): HTTP ${result.status} in ${result.seconds.toFixed(1)} s (${result.summary})\n` +
        `    server RSS ${before.rssMb.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB sampled every 100 ms during it ` +
        `(high-water mark ${before.peakMb.toFixed(0)} MB before, ${after.peakMb.toFixed(0)} MB after), ${after.rssMb.toFixed(0)} MB after`,
    );
  } finally {
    await db.$disconnect();
    await server.stop();
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
