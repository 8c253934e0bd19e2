// `npm run bench:catchment [-- api map ingest load]`: the catchment figures of issue 4, each in its
// own section (all by default). Add a section to SECTIONS for a further figure.
//   - api: p50/p95 of GET /api/v1/catchment on a scaled demo fleet (300 PoPs, 15,000 probes:
//     RIPE Atlas scale) started as `npm start` starts it (target p95 < 200 ms);
//   - map: navigation to the first frame that draws the probes over the land, in headless Chromium,
//     on the same fleet (target < 2 s);
//   - ingest: 1,000,000 measurement rows through the ingest path against a raw COPY
//     (bench/ingest.ts, on an embedded Postgres of its own);
//   - load: page p95 while two large ingests run at once, and the server's peak RSS during a
//     95 MB ingest (bench/ingest-load.ts, on a console of its own).
// BENCH_BASE_URL=http://localhost:3000 runs api and map against a console already running
// (signed in as the demo viewer) instead of starting one.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { createDbClient } from "../lib/server/db/create-client";
import { startEmbeddedPostgres } from "../lib/server/db/embedded-postgres";
import { applyMigrations } from "../lib/server/db/migrate";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../test/support/chromium";
import { percentile, signIn, startConsole } from "../test/support/console-process";
import { benchIngest, printIngest } from "./ingest";
import { benchIngestLoad } from "./ingest-load";

const POPS = Number(process.env.BENCH_POPS ?? 300);
const PROBES = Number(process.env.BENCH_PROBES ?? 15_000);
const API_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const MAP_LOADS = Number(process.env.BENCH_MAP_LOADS ?? 6);
const MAP_CONTEXT = process.env.BENCH_MAP_CONTEXT ?? "profile";
const PREFIX = "192.0.2.0/24";
// Ports of their own, away from the e2e tests', bench:pages's and the integration tests'
// Postgres (26000-26499).
const PORTS = { port: 3220, pgPort: 25470, agentBasePort: 27000 };
/** Set by components/map/map-canvas.tsx on the first frame that drew the probes over the land. */
const PROBES_RENDERED_MARK = "catchment-map:probes-rendered";

type BenchContext = { baseUrl: string; cookie: string };
/** `console`: the section runs against the scaled fleet's console (started once for all such sections). */
type Section = { key: string; name: string; console: boolean; run: (context: BenchContext) => Promise<void> };

const ms = (value: number) => `${value.toFixed(0).padStart(5)} ms`;

async function catchmentApi({ baseUrl, cookie }: BenchContext) {
  if (!process.env.BENCH_BASE_URL) console.log(`  one map per scope shared for CATCHMENT_MAP_SHARE_MS=${process.env.CATCHMENT_MAP_SHARE_MS ?? "2000 (the default)"} ms`);
  const queries = [`prefix=${encodeURIComponent(PREFIX)}`, "service=dns", `prefix=${encodeURIComponent(PREFIX)}&at=${new Date(Date.now() - 12 * 3600_000).toISOString()}`];
  for (const query of queries) {
    const url = `${baseUrl}/api/v1/catchment?${query}`;
    // The API's time: from the request to the last byte of the body (decompressed). Parsing
    // the JSON is the client's work, timed apart: on these 2 shared cores it is not small.
    const time = async () => {
      const started = performance.now();
      // As a browser asks: compressed (Next.js gzips the JSON).
      const response = await fetch(url, { headers: { cookie, "accept-encoding": "gzip" } });
      const bytes = await response.arrayBuffer();
      const ms = performance.now() - started;
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      const body = JSON.parse(new TextDecoder().decode(bytes)) as { probes: { id: number[] }; misrouted: unknown[] };
      return { ms, parseMs: performance.now() - started - ms, answers: body.probes.id.length, misrouted: body.misrouted.length };
    };
    for (let i = 0; i < 5; i++) await time();
    const samples: number[] = [];
    const parseSamples: number[] = [];
    let last = { answers: 0, misrouted: 0 };
    for (let i = 0; i < API_REQUESTS; i++) {
      const sample = await time();
      samples.push(sample.ms);
      parseSamples.push(sample.parseMs);
      last = sample;
    }
    const raw = await fetch(url, { headers: { cookie, "accept-encoding": "identity" } }).then((r) => r.arrayBuffer());
    console.log(
      `  ?${query.slice(0, 60).padEnd(60)} p50 ${ms(percentile(samples, 50))}  p95 ${ms(percentile(samples, 95))}  ` +
        `(${last.answers} answers, ${last.misrouted} misrouted, ${(raw.byteLength / 1e6).toFixed(2)} MB of JSON; then parsing it p50 ${ms(percentile(parseSamples, 50))})`,
    );
  }
}

async function firstMap({ baseUrl, cookie }: BenchContext) {
  // A browser profile of its own, on disk, as an operator's browser has: load 1 finds it empty
  // (no HTTP cache, no compiled code), later loads find what the earlier ones left. An
  // incognito context (Playwright's newContext; BENCH_MAP_CONTEXT=incognito, the figures
  // until 2026-11-26) keeps no V8 code cache, so every load there compiles the page's scripts
  // again, which no returning operator's browser does.
  const launch = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };
  const viewport = { width: 1440, height: 900 };
  const browser = MAP_CONTEXT === "incognito" ? await chromium.launch(launch) : null;
  const profile = browser ? null : mkdtempSync(path.join(os.tmpdir(), "catchment-bench-profile-"));
  const context = browser ? await browser.newContext({ viewport }) : await chromium.launchPersistentContext(profile!, { ...launch, viewport });
  try {
    const [name, value] = cookie.split(/=(.*)/s) as [string, string];
    await context.addCookies([{ name, value, url: baseUrl }]);
    const times: number[] = [];
    for (let i = 0; i < MAP_LOADS; i++) {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/map?prefix=${encodeURIComponent(PREFIX)}`);
      await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, PROBES_RENDERED_MARK, { timeout: 120_000 });
      const result = await page.evaluate((mark) => ({
        // Marks and resource timings are timed from the navigation's start.
        at: performance.getEntriesByName(mark)[0]!.startTime,
        dataAt: (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((entry) => entry.name.includes("/api/v1/catchment"))?.responseEnd ?? NaN,
        drawn: window.__catchmentProbes!.drawnCount,
      }), PROBES_RENDERED_MARK);
      times.push(result.at);
      console.log(
        `  load ${i + 1}${i === 0 ? " (cold cache)" : "             "}  first frame with probes and land ${ms(result.at)}  ` +
          `(the map's data in at ${ms(result.dataAt)}; ${result.drawn} probes drawn at that moment)`,
      );
      await page.close();
    }
    const warm = times.slice(1);
    if (warm.length) console.log(`  warm cache: median ${ms(percentile(warm, 50))}, worst ${ms(Math.max(...warm))}`);
  } finally {
    await context.close();
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }
}

async function ingest() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-ingest-"));
  // COPY FROM a file is read by the Postgres server, which runs as another user when we are root.
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: 25482, persistent: false });
  try {
    await applyMigrations(postgres.url);
    const db = createDbClient(postgres.url, 2);
    try {
      printIngest(await benchIngest(db, dir, Number(process.env.BENCH_ROWS ?? 1_000_000)));
    } finally {
      await db.$disconnect();
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECTIONS: Section[] = [
  { key: "api", console: true, name: `catchment API, ${API_REQUESTS} sequential requests per query after 5 warm-up requests`, run: catchmentApi },
  { key: "map", console: true, name: `time to first rendered map, ${MAP_LOADS} page loads in headless Chromium (SwiftShader WebGL, 1440x900, ${MAP_CONTEXT === "incognito" ? "an incognito context" : "a browser profile of its own"})`, run: firstMap },
  { key: "ingest", console: false, name: "ingest against a raw COPY", run: ingest },
  { key: "load", console: false, name: "pages while large ingests run, and the server's memory for one ingest (a console of its own)", run: benchIngestLoad },
];

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((key) => !SECTIONS.some((section) => section.key === key));
  if (unknown.length) throw new Error(`Unknown section ${unknown.join(", ")}; there are ${SECTIONS.map((s) => s.key).join(", ")}.`);
  const sections = asked.length ? SECTIONS.filter((section) => asked.includes(section.key)) : SECTIONS;

  const external = process.env.BENCH_BASE_URL;
  const needsConsole = sections.some((section) => section.console);
  const dataDir = needsConsole && !external ? mkdtempSync(path.join(os.tmpdir(), "catchment-bench-")) : null;
  const server = dataDir
    ? await startConsole({ ...PORTS, dataDir, env: { CATCHMENT_DEMO_POPS: String(POPS), CATCHMENT_DEMO_PROBES: String(PROBES) } })
    : null;
  try {
    const baseUrl = external ?? server?.baseUrl ?? "";
    const cookie = needsConsole ? await signIn(baseUrl, "viewer", "catchment-viewer") : "";
    if (needsConsole) console.log(external ? `console at ${baseUrl}` : `scaled demo fleet: ${POPS} PoPs, ${PROBES.toLocaleString("en-US")} probes`);
    for (const section of sections) {
      console.log(`\n${section.name}`);
      await section.run({ baseUrl, cookie });
    }
  } finally {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
