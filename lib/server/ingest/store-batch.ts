// Writes a parsed batch (lib/ingest/parse-batch) to the database: the one write path behind
// `POST /api/v1/measurements` (the demo's probe simulator and the lab post there) and `npm run ingest`.
//
// - Atomic: one transaction, also for a batch streamed in as it arrives (written chunk by chunk
//   inside it); a batch with nothing storable is refused and writes nothing.
// - Idempotent: a measurement is one row per (probe, prefix, time), so re-sending adds nothing.
// - Records that cannot be stored (no such prefix, unknown probe, unknown PoP code) are
//   reported with their index, and the rest of the batch is stored.
// No "server-only": the CLI runs it outside Next.
import { resolveMeasurements, type ResolvedMeasurement } from "@/lib/ingest/resolve";
import { nothingUsable, type ParsedBatch, type StreamedBatch } from "@/lib/ingest/parse-batch";
import { createMeasurementTally, LISTED_ISSUES, type MeasurementSummary, type ProbeSummary } from "@/lib/ingest/summary";
import {
  type MeasurementSource,
  type ParsedMeasurement,
  type ParsedProbe,
  type ParseIssue,
} from "@/lib/ingest/types";
import { regionOfCountry } from "@/lib/domain/regions";
import { chunks } from "../db/bulk";
import type { Db, Tx } from "../db/create-client";

export type StoreOptions = {
  /** Overrides the source the format implies (e.g. "lab" for lab clients posting Atlas results). */
  source?: MeasurementSource;
  /** The prefix (CIDR, address or service) of records that name none. */
  prefix?: string;
};

export type StoredMeasurements = MeasurementSummary & {
  /** Measurements written now. */
  written: number;
  /** Measurements already stored by an earlier batch: re-sent, so not written again. */
  alreadyStored: number;
  probesCreated: number;
};

export type StoredProbes = ProbeSummary & { created: number; updated: number };

export type StoreResult = StoredMeasurements | StoredProbes;

// A million rows is a legitimate batch (a day of a large RIPE Atlas measurement).
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

/** A batch parsed whole (parseBatch), stored as one chunk. */
export async function storeBatch(db: Db, batch: ParsedBatch, options: StoreOptions = {}): Promise<StoreResult> {
  const streamed: StreamedBatch =
    batch.kind === "probes"
      ? { kind: batch.kind, format: batch.format, chunks: once(batch.result) }
      : { kind: batch.kind, format: batch.format, chunks: once(batch.result) };
  return storeBatchStream(db, streamed, options);
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/**
 * A batch read as it arrives (lib/ingest/parse-batch's streamBatch): each chunk is resolved and
 * written as it comes, in the one transaction of the batch, so memory holds one chunk and the
 * keys of the rows written so far, never the batch. A refusal thrown by the stream (a damaged
 * array, a file that cannot be read) rolls the whole batch back.
 */
export async function storeBatchStream(db: Db, batch: StreamedBatch, options: StoreOptions = {}): Promise<StoreResult> {
  return db.$transaction<StoreResult>(
    (tx) => (batch.kind === "probes" ? storeProbes(tx, batch, options) : storeMeasurements(tx, batch, options)),
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
  );
}

/** The first LISTED_ISSUES issues of a batch, in input order, and how many there were. */
export function issueList() {
  const listed: ParseIssue[] = [];
  let count = 0;
  return {
    // A chunk's issues all come after the previous chunk's, so sorting each chunk keeps input order.
    add(issues: ParseIssue[]) {
      count += issues.length;
      if (listed.length < LISTED_ISSUES) listed.push(...[...issues].sort((a, b) => a.index - b.index).slice(0, LISTED_ISSUES - listed.length));
    },
    get listed() {
      return listed;
    },
    get count() {
      return count;
    },
  };
}

async function storeProbes(tx: Tx, batch: Extract<StreamedBatch, { kind: "probes" }>, options: StoreOptions): Promise<StoredProbes> {
  const source = options.source ?? "atlas";
  const issues = issueList();
  const stored = new Set<string>();
  const perCountry = new Map<string, number>();
  let total = 0;
  let parsed = 0;
  let created = 0;
  for await (const chunk of batch.chunks) {
    total += chunk.total;
    parsed += chunk.records.length;
    issues.add(chunk.issues);
    // The last entry of a probe wins, as the archive lists each probe once.
    const latest = new Map<string, ParsedProbe>();
    for (const probe of chunk.records) latest.set(probe.externalId, probe);
    for (const probe of latest.values()) {
      if (stored.has(probe.externalId)) continue;
      stored.add(probe.externalId);
      perCountry.set(probe.country ?? "??", (perCountry.get(probe.country ?? "??") ?? 0) + 1);
    }
    for (const rows of chunks([...latest.values()])) created += await upsertProbes(tx, source, rows);
  }
  if (stored.size === 0) throw nothingUsable(total, issues.listed, issues.count);
  return {
    kind: "probes",
    total,
    parsed,
    stored: stored.size,
    duplicates: parsed - stored.size,
    issueCount: issues.count,
    issues: issues.listed,
    perCountry: Object.fromEntries([...perCountry].sort(([a], [b]) => a.localeCompare(b))),
    created,
    updated: stored.size - created,
  };
}

/** How many of the probes are new. */
async function upsertProbes(tx: Tx, source: MeasurementSource, chunk: ParsedProbe[]): Promise<number> {
  const rows = await tx.$queryRaw<{ created: boolean }[]>`
    INSERT INTO "probe" ("source", "external_id", "latitude", "longitude", "country", "region", "asn_v4", "asn_v6", "address_v4", "address_v6")
    SELECT ${source}::"ProbeSource", external_id, latitude, longitude, country, region::"Region", asn_v4, asn_v6, address_v4, address_v6
    FROM unnest(
      ${chunk.map((p) => p.externalId)}::text[],
      ${chunk.map((p) => p.lat)}::float8[],
      ${chunk.map((p) => p.lon)}::float8[],
      ${chunk.map((p) => p.country)}::text[],
      ${chunk.map((p) => regionOf(p.country))}::text[],
      ${chunk.map((p) => p.asnV4)}::int8[],
      ${chunk.map((p) => p.asnV6)}::int8[],
      ${chunk.map((p) => p.addressV4)}::text[],
      ${chunk.map((p) => p.addressV6)}::text[]
    ) AS rows(external_id, latitude, longitude, country, region, asn_v4, asn_v6, address_v4, address_v6)
    ON CONFLICT ("source", "external_id") DO UPDATE SET
      "latitude" = EXCLUDED."latitude", "longitude" = EXCLUDED."longitude",
      "country" = EXCLUDED."country", "region" = EXCLUDED."region",
      "asn_v4" = EXCLUDED."asn_v4", "asn_v6" = EXCLUDED."asn_v6",
      "address_v4" = EXCLUDED."address_v4", "address_v6" = EXCLUDED."address_v6"
    RETURNING (xmax = 0) AS created`;
  return rows.filter((row) => row.created).length;
}

type Row = { probeId: number; prefixId: number; popId: number | null; answer: string; rttMs: number | null; measuredAt: Date };

async function storeMeasurements(
  tx: Tx,
  batch: Extract<StreamedBatch, { kind: "measurements" }>,
  options: StoreOptions,
): Promise<StoredMeasurements> {
  const [prefixes, pops] = await Promise.all([
    tx.prefix.findMany({ select: { id: true, cidr: true, service: true } }),
    tx.pop.findMany({ select: { id: true, code: true, identities: true } }),
  ]);
  const probes = probeRegister(tx);
  const issues = issueList();
  const tally = createMeasurementTally(pops);
  // The batch's rows so far: a row sent twice in one batch is counted once.
  const rowKeys = new Set<string>();
  let total = 0;
  let parsed = 0;
  let errors = 0;
  let duplicates = 0;
  let written = 0;

  for await (const chunk of batch.chunks) {
    total += chunk.total;
    parsed += chunk.records.length;
    errors += chunk.errors;
    duplicates += chunk.duplicates ?? 0;
    const records = options.source ? chunk.records.map((record) => ({ ...record, source: options.source! })) : chunk.records;
    const { resolved, issues: unresolved } = resolveMeasurements(records, { prefixes, pops, defaultTarget: options.prefix });
    const probeIds = await probes.idsOf(resolved.map((entry) => entry.record));

    const rows: Row[] = [];
    const unknownProbe: ParseIssue[] = [];
    for (const entry of resolved) {
      const probeId = probeIds.get(probeKey(entry.record));
      if (probeId === undefined) {
        unknownProbe.push({
          ...entry.record.position,
          reason: `probe ${entry.record.probeExternalId} is unknown: send its lat and lon, or ingest the probe archive first`,
        });
        continue;
      }
      const row = rowOf(entry, probeId);
      const key = `${row.probeId}|${row.prefixId}|${row.measuredAt.getTime()}`;
      if (rowKeys.has(key)) {
        duplicates++;
        continue;
      }
      rowKeys.add(key);
      rows.push(row);
      tally.add(entry.record);
    }
    issues.add([...chunk.issues, ...unresolved, ...unknownProbe]);
    for (const part of chunks(rows)) written += await insertMeasurements(tx, part);
  }

  if (rowKeys.size === 0) throw nothingUsable(total, issues.listed, issues.count);
  return {
    kind: "measurements",
    total,
    parsed,
    stored: rowKeys.size,
    duplicates,
    errors,
    issueCount: issues.count,
    issues: issues.listed,
    ...tally.result(),
    written,
    alreadyStored: rowKeys.size - written,
    probesCreated: probes.created,
  };
}

function insertMeasurements(tx: Tx, chunk: Row[]): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "measurement" ("probe_id", "prefix_id", "pop_id", "answer", "rtt_ms", "measured_at")
    SELECT probe_id, prefix_id, pop_id, answer, rtt_ms, to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC'
    FROM unnest(
      ${chunk.map((r) => r.probeId)}::int4[],
      ${chunk.map((r) => r.prefixId)}::int4[],
      ${chunk.map((r) => r.popId)}::int4[],
      ${chunk.map((r) => r.answer)}::text[],
      ${chunk.map((r) => r.rttMs)}::float8[],
      ${chunk.map((r) => r.measuredAt.getTime())}::float8[]
    ) AS rows(probe_id, prefix_id, pop_id, answer, rtt_ms, at_ms)
    ON CONFLICT ("probe_id", "prefix_id", "measured_at") DO NOTHING`;
}

function rowOf(entry: ResolvedMeasurement, probeId: number): Row {
  const { record } = entry;
  return { probeId, prefixId: entry.prefixId, popId: entry.popId, answer: entry.answer, rttMs: record.rttMs, measuredAt: record.measuredAt };
}

const regionOf = (country: string | null) => (country && regionOfCountry(country)) || null;

const probeKey = (record: Pick<ParsedMeasurement, "source" | "probeExternalId">) => `${record.source}|${record.probeExternalId}`;

/**
 * The probe id of every record, over the chunks of a batch: probes that records place (lat and
 * lon) are created or moved to where the batch's latest record puts them; the others must exist
 * already. Ids are remembered for the batch, so a probe is looked up once.
 */
function probeRegister(tx: Tx) {
  const ids = new Map<string, number>();
  // When the batch last placed each probe: an older record in a later chunk does not move it back.
  const placedAt = new Map<string, number>();
  let created = 0;

  async function idsOf(records: readonly ParsedMeasurement[]): Promise<Map<string, number>> {
    const located = new Map<string, ParsedMeasurement>();
    const bySource = new Map<MeasurementSource, Set<string>>();
    for (const record of records) {
      const key = probeKey(record);
      const at = record.measuredAt.getTime();
      if (record.probe && at >= (placedAt.get(key) ?? -Infinity)) {
        placedAt.set(key, at);
        located.set(key, record);
      }
      if (!ids.has(key)) bySource.set(record.source, (bySource.get(record.source) ?? new Set()).add(record.probeExternalId));
    }

    for (const chunk of chunks([...located.values()])) {
      const rows = await tx.$queryRaw<{ id: number; source: MeasurementSource; external_id: string; created: boolean }[]>`
        INSERT INTO "probe" ("source", "external_id", "latitude", "longitude", "country", "region")
        SELECT source::"ProbeSource", external_id, latitude, longitude, country, region::"Region"
        FROM unnest(
          ${chunk.map((r) => r.source)}::text[],
          ${chunk.map((r) => r.probeExternalId)}::text[],
          ${chunk.map((r) => r.probe!.lat)}::float8[],
          ${chunk.map((r) => r.probe!.lon)}::float8[],
          ${chunk.map((r) => r.probe!.country ?? null)}::text[],
          ${chunk.map((r) => regionOf(r.probe!.country ?? null))}::text[]
        ) AS rows(source, external_id, latitude, longitude, country, region)
        ON CONFLICT ("source", "external_id") DO UPDATE SET
          -- A record that names the probe without placing it (a catchment file without a
          -- geolocation file) leaves it where it was.
          "latitude" = COALESCE(EXCLUDED."latitude", "probe"."latitude"), "longitude" = COALESCE(EXCLUDED."longitude", "probe"."longitude"),
          "country" = COALESCE(EXCLUDED."country", "probe"."country"),
          "region" = COALESCE(EXCLUDED."region", "probe"."region")
        RETURNING "id", "source", "external_id", (xmax = 0) AS created`;
      for (const row of rows) ids.set(probeKey({ source: row.source, probeExternalId: row.external_id }), row.id);
      created += rows.filter((row) => row.created).length;
    }

    for (const [source, externalIds] of bySource) {
      const missing = [...externalIds].filter((id) => !ids.has(probeKey({ source, probeExternalId: id })));
      for (const chunk of chunks(missing)) {
        const rows = await tx.$queryRaw<{ id: number; external_id: string }[]>`
          SELECT "id", "external_id" FROM "probe" WHERE "source" = ${source}::"ProbeSource" AND "external_id" = ANY(${chunk}::text[])`;
        for (const row of rows) ids.set(probeKey({ source, probeExternalId: row.external_id }), row.id);
      }
    }
    return ids;
  }

  return {
    idsOf,
    get created() {
      return created;
    },
  };
}
