// Stores a catchment file (Verfploeter, MAnycastR: lib/ingest/catchment-file.ts) set-based, so
// a scan of a million /24s goes in within a minute: the generic path (store-batch.ts) writes
// about 10k rows a second, since it looks up and inserts probes chunk by chunk.
//
// One transaction on one connection of its own (COPY needs the driver's client, not Prisma's),
// in rounds of ROUND_ROWS replies:
// 1. the replies, resolved to prefix and PoP in JS as the file is read, are COPYed into a
//    temporary table;
// 2. one INSERT ... SELECT creates the client probes (or fills in what this file adds to them:
//    coordinates, country, ASN) and one more writes the measurements, whose statement trigger
//    keeps current_catchment and the rollups, as for any other way in.
// Idempotent like the generic path: a measurement is one row per (probe, prefix, time).
// No "server-only": the CLI runs it outside Next.
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { regionOfCountry } from "@/lib/domain/regions";
import { nothingUsable, type StreamedBatch } from "@/lib/ingest/parse-batch";
import { resolveMeasurements } from "@/lib/ingest/resolve";
import { createMeasurementTally } from "@/lib/ingest/summary";
import type { MeasurementSource, ParsedMeasurement } from "@/lib/ingest/types";
import { issueList, type StoredMeasurements, type StoreOptions } from "./store-batch";

type MeasurementBatch = Extract<StreamedBatch, { kind: "measurements" }>;

/** COPY's text format: backslash, tab and line breaks escaped; null is \N. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
}

export async function storeCatchmentFile(connectionString: string, batch: MeasurementBatch, options: StoreOptions = {}): Promise<StoredMeasurements> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("BEGIN");
    const result = await storeInTransaction(client, batch, options);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Rows per round of COPY and INSERTs. Rounds overlap: the file's next rows are read and resolved
 * here while Postgres writes the previous round (two cores: one for each), and a round's sorts
 * and hash joins stay in memory. The measurement trigger runs once per round.
 */
const ROUND_ROWS = 100_000;

async function storeInTransaction(client: pg.Client, batch: MeasurementBatch, options: StoreOptions): Promise<StoredMeasurements> {
  const [prefixes, pops] = await Promise.all([
    client.query<{ id: number; cidr: string; service: string }>(`SELECT "id", "cidr", "service" FROM "prefix"`),
    client.query<{ id: number; code: string; identities: string[] }>(`SELECT "id", "code", "identities" FROM "pop"`),
  ]);
  const fleet = { prefixes: prefixes.rows, pops: pops.rows, defaultTarget: options.prefix };
  await client.query(`
    CREATE TEMPORARY TABLE "catchment_reply" (
      "source" text, "external_id" text, "prefix_id" int4, "pop_id" int4, "answer" text, "rtt_ms" float8, "at_ms" float8,
      "latitude" float8, "longitude" float8, "country" text, "region" text, "asn_v4" int8, "asn_v6" int8
    ) ON COMMIT DROP`);
  await client.query(`SET LOCAL work_mem = '128MB'`);

  const issues = issueList();
  const tally = createMeasurementTally(pops.rows);
  const counts = { total: 0, parsed: 0, duplicates: 0, copied: 0, written: 0, probesCreated: 0 };
  let lines: string[] = [];
  // The round Postgres is writing while the next one is read; its failure fails the batch.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const round = lines;
    lines = [];
    await writing;
    if (round.length) writing = writeRound(client, round).then(({ written, probesCreated }) => {
      counts.written += written;
      counts.probesCreated += probesCreated;
    });
    // Read on while it runs, but never let it fail unheard.
    writing.catch(() => {});
  };

  for await (const chunk of batch.chunks) {
    counts.total += chunk.total;
    counts.parsed += chunk.records.length;
    counts.duplicates += chunk.duplicates ?? 0;
    const records = options.source ? chunk.records.map((record) => ({ ...record, source: options.source as MeasurementSource })) : chunk.records;
    const { resolved, issues: unresolved } = resolveMeasurements(records, fleet);
    issues.add([...chunk.issues, ...unresolved]);
    for (const { record, prefixId, popId, answer } of resolved) {
      lines.push(copyLine(record, prefixId, popId, answer));
      tally.add(record);
    }
    counts.copied += resolved.length;
    if (lines.length >= ROUND_ROWS) await flush();
  }
  await flush();
  await writing;
  if (counts.copied === 0) throw nothingUsable(counts.total, issues.listed, issues.count);

  return {
    kind: "measurements",
    total: counts.total,
    parsed: counts.parsed,
    stored: counts.copied,
    duplicates: counts.duplicates,
    errors: 0,
    issueCount: issues.count,
    issues: issues.listed,
    ...tally.result(),
    written: counts.written,
    alreadyStored: counts.copied - counts.written,
    probesCreated: counts.probesCreated,
  };
}

function copyLine(record: ParsedMeasurement, prefixId: number, popId: number | null, answer: string): string {
  const probe = record.probe;
  const country = probe?.country ?? null;
  return (
    [
      field(record.source),
      field(record.probeExternalId),
      field(prefixId),
      field(popId),
      field(answer),
      field(record.rttMs),
      field(record.measuredAt.getTime()),
      field(probe?.lat),
      field(probe?.lon),
      field(country),
      field((country && regionOfCountry(country)) || null),
      field(probe?.asnV4),
      field(probe?.asnV6),
    ].join("\t") + "\n"
  );
}

/** One round: its rows COPYed into the (emptied) temporary table, then the probes and the measurements. */
async function writeRound(client: pg.Client, lines: string[]): Promise<{ written: number; probesCreated: number }> {
  await client.query(`TRUNCATE "catchment_reply"`);
  const copy = client.query(copyFrom(`COPY "catchment_reply" FROM STDIN`));
  await new Promise<void>((resolve, reject) => {
    copy.on("finish", resolve);
    copy.on("error", reject);
    copy.end(lines.join(""));
  });
  await client.query(`ANALYZE "catchment_reply"`);
  // A probe takes what this file knows of it and keeps what it does not say (a file without
  // a geolocation leaves a probe placed by an earlier one where it was). Unchanged probes are not rewritten.
  const probes = await client.query<{ created: number }>(`
    WITH written AS (
      INSERT INTO "probe" ("source", "external_id", "latitude", "longitude", "country", "region", "asn_v4", "asn_v6")
      SELECT DISTINCT ON ("source", "external_id") "source"::"ProbeSource", "external_id", "latitude", "longitude", "country", "region"::"Region", "asn_v4", "asn_v6"
        FROM "catchment_reply"
       ORDER BY "source", "external_id", "at_ms" DESC
      ON CONFLICT ("source", "external_id") DO UPDATE SET
        "latitude" = COALESCE(EXCLUDED."latitude", "probe"."latitude"),
        "longitude" = COALESCE(EXCLUDED."longitude", "probe"."longitude"),
        "country" = COALESCE(EXCLUDED."country", "probe"."country"),
        "region" = COALESCE(EXCLUDED."region", "probe"."region"),
        "asn_v4" = COALESCE(EXCLUDED."asn_v4", "probe"."asn_v4"),
        "asn_v6" = COALESCE(EXCLUDED."asn_v6", "probe"."asn_v6")
      WHERE ("probe"."latitude", "probe"."longitude", "probe"."country", "probe"."region", "probe"."asn_v4", "probe"."asn_v6")
            IS DISTINCT FROM (COALESCE(EXCLUDED."latitude", "probe"."latitude"), COALESCE(EXCLUDED."longitude", "probe"."longitude"),
                              COALESCE(EXCLUDED."country", "probe"."country"), COALESCE(EXCLUDED."region", "probe"."region"),
                              COALESCE(EXCLUDED."asn_v4", "probe"."asn_v4"), COALESCE(EXCLUDED."asn_v6", "probe"."asn_v6"))
      RETURNING (xmax = 0) AS created
    )
    SELECT count(*) FILTER (WHERE created)::int4 AS created FROM written`);
  // In probe order: the foreign-key checks and the index walk then go page by page.
  const measurements = await client.query(`
    INSERT INTO "measurement" ("probe_id", "prefix_id", "pop_id", "answer", "rtt_ms", "measured_at")
    SELECT p."id", r."prefix_id", r."pop_id", r."answer", r."rtt_ms", to_timestamp(r."at_ms" / 1000.0) AT TIME ZONE 'UTC'
      FROM "catchment_reply" r
      JOIN "probe" p ON p."source" = r."source"::"ProbeSource" AND p."external_id" = r."external_id"
     ORDER BY p."id"
    ON CONFLICT ("probe_id", "prefix_id", "measured_at") DO NOTHING`);
  return { written: measurements.rowCount ?? 0, probesCreated: probes.rows[0]?.created ?? 0 };
}
