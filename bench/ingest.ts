// The ingest figure of `npm run bench:catchment`: 1,000,000 measurement rows through the real
// write path (parse, resolve to prefix/PoP/probe, one transaction per batch, trigger-kept
// current catchment and rollups), next to a raw COPY of the same rows into the same table of
// the same Postgres. Run it alone with `npm run bench:catchment -- ingest` (BENCH_ROWS to scale).
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseBatch } from "../lib/ingest/parse-batch";
import type { Db } from "../lib/server/db/create-client";
import { storeBatch, type StoredMeasurements } from "../lib/server/ingest/store-batch";

export type IngestFigures = { rows: number; batches: number; ingestSeconds: number; ingestRowsPerSecond: number; copySeconds: number; copyRowsPerSecond: number; ratio: number };

const PROBES = 15_000;
const POPS = 20;

/** Needs an empty, migrated database and a directory the Postgres server can read (COPY FROM a file). */
export async function benchIngest(db: Db, workDir: string, rows = 1_000_000, batchRows = 100_000): Promise<IngestFigures> {
  const prefix = await db.prefix.create({ data: { cidr: "192.0.2.0/24", family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 1 } });
  for (let i = 0; i < POPS; i++) {
    const code = `P${String(i).padStart(2, "0")}X`;
    await db.pop.create({
      data: { code, name: code, city: code, country: "NL", latitude: -60 + i * 6, longitude: -170 + i * 17, region: "europe", capacityGbps: 100, identities: [`${code.toLowerCase()}-*.ns.example`] },
    });
  }
  const archive = Array.from({ length: PROBES }, (_, i) => ({ id: i + 1, latitude: (i % 170) - 85, longitude: ((i * 7) % 360) - 180, country_code: "NL", asn_v4: 64512 + (i % 1000) }));
  await storeBatch(db, parseBatch(JSON.stringify(archive), "atlas-probes"));

  // Each probe measures every 10 minutes; answers spread over the PoPs.
  const start = Date.UTC(2026, 0, 1);
  const line = (n: number) => {
    const probe = (n % PROBES) + 1;
    const round = Math.floor(n / PROBES);
    const pop = (probe * 7 + round) % POPS;
    return `${probe},p${String(pop).padStart(2, "0")}x-a.ns.example,${(5 + (n % 200) / 3).toFixed(1)},${new Date(start + round * 600_000).toISOString()},192.0.2.53`;
  };
  const header = "probe_id,answer,rtt_ms,timestamp,target";

  const began = performance.now();
  let written = 0;
  for (let from = 0; from < rows; from += batchRows) {
    const text = [header, ...Array.from({ length: Math.min(batchRows, rows - from) }, (_, i) => line(from + i))].join("\n");
    const result = (await storeBatch(db, parseBatch(text, "csv"), { source: "atlas" })) as StoredMeasurements;
    written += result.written;
  }
  const ingestSeconds = (performance.now() - began) / 1000;
  if (written !== rows) throw new Error(`bench: wrote ${written} rows, expected ${rows}`);

  // The same rows, as the table holds them, COPYed into the same (emptied) tables.
  const ids = new Map((await db.probe.findMany({ select: { id: true, externalId: true } })).map((p) => [Number(p.externalId), p.id]));
  const pops = (await db.pop.findMany({ select: { id: true, code: true }, orderBy: { code: "asc" } })).map((p) => p.id);
  const file = path.join(workDir, "copy.csv");
  const csv: string[] = [];
  for (let n = 0; n < rows; n++) {
    const [probe, answer, rtt, at] = line(n).split(",");
    const pop = pops[Number(answer!.slice(1, 3))]!;
    csv.push(`${ids.get(Number(probe))},${prefix.id},${pop},${answer},${rtt},${at!.replace("T", " ").replace("Z", "")}`);
  }
  writeFileSync(file, csv.join("\n") + "\n");
  await db.$executeRawUnsafe("TRUNCATE measurement, current_catchment, catchment_hourly, rtt_hourly, catchment_flip");
  const copyBegan = performance.now();
  await db.$executeRawUnsafe(`COPY measurement (probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at) FROM '${file}' WITH (FORMAT csv)`);
  const copySeconds = (performance.now() - copyBegan) / 1000;

  return {
    rows,
    batches: Math.ceil(rows / batchRows),
    ingestSeconds,
    ingestRowsPerSecond: rows / ingestSeconds,
    copySeconds,
    copyRowsPerSecond: rows / copySeconds,
    ratio: ingestSeconds / copySeconds,
  };
}

export function printIngest(figures: IngestFigures) {
  console.log(`ingest: ${figures.rows.toLocaleString("en")} measurement rows in ${figures.batches} batches`);
  console.log(`  through the ingest path (parse, resolve, store): ${figures.ingestSeconds.toFixed(1)} s, ${Math.round(figures.ingestRowsPerSecond).toLocaleString("en")} rows/s`);
  console.log(`  raw COPY of the same rows into the same table:   ${figures.copySeconds.toFixed(1)} s, ${Math.round(figures.copyRowsPerSecond).toLocaleString("en")} rows/s`);
  console.log(`  ratio (ingest time / COPY time): ${figures.ratio.toFixed(2)}`);
}
