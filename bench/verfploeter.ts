// `npm run bench:verfploeter`: a MAnycastR scan of BENCH_ROWS (1,000,000) distinct client /24s
// (Laces mode, `rx,rx_time,addr,ttl,tx_time,tx`, gzipped as MAnycastR writes it) generated in a
// temporary folder, then imported as `npm run ingest` imports it (gunzip, parse, resolve, COPY,
// set-based INSERTs, the measurement trigger) into an embedded Postgres of its own, timed from
// the first byte read to the commit; then the same file again (nothing new to write).
// Then the catchment map of the scan (GET /api/v1/catchment's work): its time and size, the
// unplaced /24s counted per PoP rather than drawn.
// Target (issue 15): under 60 s for 1,000,000 rows on this 2-core machine.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { streamInput } from "../lib/ingest/parse-batch";
import { createDbClient } from "../lib/server/db/create-client";
import { startEmbeddedPostgres } from "../lib/server/db/embedded-postgres";
import { applyMigrations } from "../lib/server/db/migrate";
import { storeCatchmentFile } from "../lib/server/ingest/store-catchment-file";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const WORKERS = 20;
// Away from bench:catchment's (25470-25482) and the integration tests' (26000-26499).
const PG_PORT = 25486;

async function writeScan(file: string) {
  const start = 1_764_900_000_000_000_000n;
  function* lines() {
    yield "# Measurement style: Anycast latency\n# Hitlist: bench.txt\n# Measurement type: ICMP/v4\nrx,rx_time,addr,ttl,tx_time,tx\n";
    const rows: string[] = [];
    for (let i = 0; i < ROWS; i++) {
      // Client i is the /24 (1 + i >> 16).((i >> 8) & 255).(i & 255).0; workers catch in bands.
      const worker = `w${String((i * 7) % WORKERS).padStart(2, "0")}-anycast`;
      const at = start + BigInt(i) * 40_000n;
      rows.push(`${worker},${at},${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.1,${50 + (i % 10)},${at - 30_000_000n},w00-anycast\n`);
      if (rows.length === 10_000) yield rows.splice(0).join("");
    }
    yield rows.join("");
  }
  await pipeline(lines(), createGzip(), createWriteStream(file));
}

const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-verfploeter-"));
const file = path.join(dir, "scan.csv.gz");
try {
  let began = performance.now();
  await writeScan(file);
  console.log(`generated ${ROWS.toLocaleString("en")} rows, ${(statSync(file).size / 1e6).toFixed(1)} MB gzipped, in ${((performance.now() - began) / 1000).toFixed(1)} s`);

  const postgres = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: PG_PORT, persistent: false });
  try {
    await applyMigrations(postgres.url);
    const db = createDbClient(postgres.url, 2);
    try {
      await db.prefix.create({ data: { cidr: "192.0.2.0/24", family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 1 } });
      for (let i = 0; i < WORKERS; i++) {
        const code = `W${String(i).padStart(2, "0")}X`;
        await db.pop.create({
          data: { code, name: code, city: code, country: "NL", latitude: 0, longitude: i, region: "europe", capacityGbps: 100, identities: [`w${String(i).padStart(2, "0")}-*`] },
        });
      }
      for (const round of ["first import", "again"]) {
        began = performance.now();
        const batch = await streamInput(createReadStream(file));
        if (batch.kind !== "measurements") throw new Error("bench: not read as measurements");
        const result = await storeCatchmentFile(postgres.url, batch, { prefix: "192.0.2.0/24" });
        const seconds = (performance.now() - began) / 1000;
        console.log(
          `${round}: ${seconds.toFixed(1)} s, ${Math.round(ROWS / seconds).toLocaleString("en")} rows/s ` +
            `(${result.written.toLocaleString("en")} measurements written, ${result.probesCreated.toLocaleString("en")} probes created, ${result.issueCount} issues)`,
        );
      }
      const [catchment] = await db.$queryRaw<{ rows: number; pops: number }[]>`SELECT count(*)::int4 AS rows, count(DISTINCT pop_id)::int4 AS pops FROM current_catchment`;
      console.log(`current_catchment: ${catchment!.rows.toLocaleString("en")} answers over ${catchment!.pops} PoPs`);
      // The console's data-access module reads DATABASE_URL when first imported.
      process.env.DATABASE_URL = postgres.url;
      const { getCatchmentMap } = await import("../lib/server/catchment/get-catchment-map");
      for (let i = 0; i < 3; i++) {
        began = performance.now();
        const map = await getCatchmentMap(db, { prefix: "192.0.2.0/24" });
        const ms = performance.now() - began;
        console.log(
          `catchment map: ${ms.toFixed(0)} ms, ${(JSON.stringify(map).length / 1e3).toFixed(1)} kB of JSON ` +
            `(${map.probes.id.length} points drawn, ${map.unplaced.answers.toLocaleString("en")} unplaced answers counted over ${map.unplaced.pops.length} PoPs)`,
        );
      }
    } finally {
      await db.$disconnect();
    }
  } finally {
    await postgres.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
