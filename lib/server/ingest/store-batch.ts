// Writes a parsed batch (lib/ingest/parse-batch) to the database: the one write path behind
// `POST /api/v1/measurements`, `npm run ingest` and the demo's probe simulator.
//
// - Atomic: one transaction; a batch with nothing storable is refused and writes nothing.
// - Idempotent: a measurement is one row per (probe, prefix, time), so re-sending adds nothing.
// - Records that cannot be stored (no such prefix, unknown probe, unknown PoP code) are
//   reported with their index, and the rest of the batch is stored.
// No "server-only": the CLI runs it outside Next.
import { resolveMeasurements, type ResolvedMeasurement } from "@/lib/ingest/resolve";
import type { ParsedBatch } from "@/lib/ingest/parse-batch";
import { summarise, summariseProbes, LISTED_ISSUES, type MeasurementSummary, type ProbeSummary } from "@/lib/ingest/summary";
import {
  IngestRefusedError,
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

export async function storeBatch(db: Db, batch: ParsedBatch, options: StoreOptions = {}): Promise<StoreResult> {
  return db.$transaction<StoreResult>(
    (tx) => (batch.kind === "probes" ? storeProbes(tx, batch, options) : storeMeasurements(tx, batch, options)),
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 30_000 },
  );
}

async function storeProbes(tx: Tx, batch: Extract<ParsedBatch, { kind: "probes" }>, options: StoreOptions): Promise<StoredProbes> {
  const source = options.source ?? "atlas";
  const latest = new Map<string, ParsedProbe>();
  for (const probe of batch.result.records) latest.set(probe.externalId, probe);
  let created = 0;
  for (const chunk of chunks([...latest.values()])) {
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
    created += rows.filter((row) => row.created).length;
  }
  return { ...summariseProbes(batch.result), created, updated: latest.size - created };
}

type Row = { probeId: number; prefixId: number; popId: number | null; answer: string; rttMs: number | null; measuredAt: Date };

async function storeMeasurements(
  tx: Tx,
  batch: Extract<ParsedBatch, { kind: "measurements" }>,
  options: StoreOptions,
): Promise<StoredMeasurements> {
  const [prefixes, pops] = await Promise.all([
    tx.prefix.findMany({ select: { id: true, cidr: true, service: true } }),
    tx.pop.findMany({ select: { id: true, code: true, identities: true } }),
  ]);
  const records = options.source ? batch.result.records.map((record) => ({ ...record, source: options.source! })) : batch.result.records;
  const { resolved, issues: unresolved } = resolveMeasurements(records, { prefixes, pops, defaultTarget: options.prefix });
  const { probeIds, created } = await probesOf(tx, resolved.map((entry) => entry.record));

  const rows = new Map<string, Row>();
  const accepted: ParsedMeasurement[] = [];
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
    accepted.push(entry.record);
    const row = rowOf(entry, probeId);
    rows.set(`${row.probeId}|${row.prefixId}|${row.measuredAt.getTime()}`, row);
  }

  const issues = [...batch.result.issues, ...unresolved, ...unknownProbe].sort((a, b) => a.index - b.index);
  if (rows.size === 0) {
    const first = issues[0] ? `; record ${issues[0].index}: ${issues[0].reason}` : "";
    throw new IngestRefusedError("all_bad", `None of the ${batch.result.total} records can be stored${first}.`, issues);
  }

  let written = 0;
  for (const chunk of chunks([...rows.values()])) {
    written += await tx.$executeRaw`
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

  const summary = summarise({ ...batch.result, records: accepted }, pops);
  return {
    ...summary,
    issueCount: issues.length,
    issues: issues.slice(0, LISTED_ISSUES),
    stored: rows.size,
    duplicates: records.length - rows.size - unresolved.length - unknownProbe.length,
    written,
    alreadyStored: rows.size - written,
    probesCreated: created,
  };
}

function rowOf(entry: ResolvedMeasurement, probeId: number): Row {
  const { record } = entry;
  return { probeId, prefixId: entry.prefixId, popId: entry.popId, answer: entry.answer, rttMs: record.rttMs, measuredAt: record.measuredAt };
}

const regionOf = (country: string | null) => (country && regionOfCountry(country)) || null;

const probeKey = (record: Pick<ParsedMeasurement, "source" | "probeExternalId">) => `${record.source}|${record.probeExternalId}`;

/**
 * The probe id of every record: probes that records place (lat and lon) are created or moved to
 * where the latest record puts them; the others must exist already.
 */
async function probesOf(tx: Tx, records: readonly ParsedMeasurement[]): Promise<{ probeIds: Map<string, number>; created: number }> {
  const located = new Map<string, ParsedMeasurement>();
  const bySource = new Map<MeasurementSource, Set<string>>();
  for (const record of records) {
    const key = probeKey(record);
    const known = located.get(key);
    if (record.probe && (!known || known.measuredAt <= record.measuredAt)) located.set(key, record);
    bySource.set(record.source, (bySource.get(record.source) ?? new Set()).add(record.probeExternalId));
  }

  const probeIds = new Map<string, number>();
  let created = 0;
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
        "latitude" = EXCLUDED."latitude", "longitude" = EXCLUDED."longitude",
        "country" = COALESCE(EXCLUDED."country", "probe"."country"),
        "region" = COALESCE(EXCLUDED."region", "probe"."region")
      RETURNING "id", "source", "external_id", (xmax = 0) AS created`;
    for (const row of rows) probeIds.set(probeKey({ source: row.source, probeExternalId: row.external_id }), row.id);
    created += rows.filter((row) => row.created).length;
  }

  for (const [source, ids] of bySource) {
    const missing = [...ids].filter((id) => !probeIds.has(probeKey({ source, probeExternalId: id })));
    for (const chunk of chunks(missing)) {
      const rows = await tx.$queryRaw<{ id: number; external_id: string }[]>`
        SELECT "id", "external_id" FROM "probe" WHERE "source" = ${source}::"ProbeSource" AND "external_id" = ANY(${chunk}::text[])`;
      for (const row of rows) probeIds.set(probeKey({ source, probeExternalId: row.external_id }), row.id);
    }
  }
  return { probeIds, created };
}
