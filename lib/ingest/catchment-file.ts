// Catchment files: a scan that pinged a hitlist (one address per /24 or /48) from the anycast
// address, each reply noted by the site that received it. That site is the catchment.
//
// - Verfploeter CSV (header row): task_id, client_id (the receiving site), transmit_time,
//   receive_time (ns since the epoch), send_receive_time_diff, source_address (the replying
//   target), destination_address (the anycast address), meta_*, ttl, source_address_country,
//   source_address_asn.
// - MAnycastR CSV (`# ...` metadata lines, then a header row): rx (receiving worker hostname),
//   addr (the replying target), ttl, and by mode rx_time and tx_time (ns), tx, rtt (ms),
//   chaos_data, origin_id. MAnycastR Parquet has the same columns (read by catchment-parquet.ts).
//
// Each reply becomes a measurement: answer = the receiving site (matched against the PoPs'
// identities, e.g. `au-syd*`), probe = the client /24 or /48 as a CIDR, target =
// destination_address (else the batch's prefix), time = receive_time / rx_time (else the time
// the caller gives). A /24 that replied more than once in a file counts once (the first reply),
// as upstream's statistics count it. A bad row is an issue of its own; the file goes on.
import { clientPrefixOf } from "./client-prefix";
import { createLineParser, csvFields } from "./csv-lines";
import type { Geolocation } from "./geolocation";
import { IngestRefusedError, type BatchParser, type MeasurementSource, type ParsedMeasurement, type ParseResult, type RecordPosition } from "./types";

export type CatchmentFileFormat = "verfploeter" | "manycastr";

export type CatchmentFileOptions = {
  source?: MeasurementSource;
  /** The time of replies the file gives none for (MAnycastR's Verfploeter mode writes no rx_time). */
  measuredAt?: Date;
  geolocation?: Geolocation;
};

/** Where each format keeps what a catchment needs. */
type ColumnNames = { site: string; address: string; time: string; target?: string; rtt?: string; asn?: string; country?: string };

export const CATCHMENT_COLUMNS: Record<CatchmentFileFormat, ColumnNames> = {
  verfploeter: {
    site: "client_id",
    address: "source_address",
    time: "receive_time",
    target: "destination_address",
    asn: "source_address_asn",
    country: "source_address_country",
  },
  manycastr: { site: "rx", address: "addr", time: "rx_time", rtt: "rtt" },
};

/** The format a header row names, or null; `columns` lower case. */
export function catchmentFormatOf(columns: readonly string[]): CatchmentFileFormat | null {
  const has = (name: string) => columns.includes(name);
  if (has("client_id") && has("source_address")) return "verfploeter";
  if (has("rx") && has("addr")) return "manycastr";
  return null;
}

// 2000-01-01 and 2100-01-01 in ms: outside is not a time (TCP measurements wrap rx_time to 21 bits).
const EARLIEST_MS = 946_684_800_000;
const LATEST_MS = 4_102_444_800_000;

/** One reply's fields, as text (CSV) or as Parquet gives them (bigint times, numbers). */
export type ReplyFields = { site: unknown; address: unknown; time?: unknown; target?: unknown; rtt?: unknown; asn?: unknown; country?: unknown };

/**
 * Turns replies into measurements for one file: validates, de-duplicates by client and target,
 * places clients from the geolocation file. Shared by the CSV and Parquet readers.
 */
export function createReplyReader(format: CatchmentFileFormat, options: CatchmentFileOptions) {
  const source = options.source ?? format;
  const seen = new Set<string>();
  return (fields: ReplyFields, position: RecordPosition, result: ParseResult<ParsedMeasurement>) => {
    result.total++;
    const fail = (reason: string) => void result.issues.push({ ...position, reason });
    const site = text(fields.site);
    if (!site) return fail(`${CATCHMENT_COLUMNS[format].site} (the receiving site) is missing`);
    const address = text(fields.address);
    const client = clientPrefixOf(address);
    if (!client) return fail(address ? `${CATCHMENT_COLUMNS[format].address} ${JSON.stringify(address.slice(0, 60))} is not an IP address` : `${CATCHMENT_COLUMNS[format].address} is missing`);
    const target = text(fields.target);
    const key = `${client.cidr}|${target}`;
    if (seen.has(key)) {
      result.duplicates = (result.duplicates ?? 0) + 1;
      return;
    }
    const measuredAt = timeOf(fields.time) ?? options.measuredAt;
    if (!measuredAt) {
      const given = text(fields.time);
      return fail(
        given
          ? `${CATCHMENT_COLUMNS[format].time} ${given} is not a time in nanoseconds between 2000 and 2100; give the scan's time (--measured-at)`
          : "the file gives no receive time: give the scan's time (--measured-at)",
      );
    }
    const rtt = numberOf(fields.rtt);
    if (rtt !== null && rtt < 0) return fail(`rtt ${rtt} is negative`);
    seen.add(key);
    const asn = numberOf(fields.asn);
    const country = text(fields.country).toUpperCase();
    const place = options.geolocation?.placeOf(client.cidr) ?? null;
    const knownCountry = /^[A-Z]{2}$/.test(country) ? country : (place?.country ?? undefined);
    result.records.push({
      position,
      source,
      probeExternalId: client.cidr,
      target,
      answer: site,
      popCode: null,
      rttMs: rtt,
      measuredAt,
      probe: {
        lat: place?.lat ?? null,
        lon: place?.lon ?? null,
        ...(knownCountry ? { country: knownCountry } : {}),
        // GeoLite2 writes 0 for an address in no AS.
        ...(asn && Number.isInteger(asn) && asn > 0 ? (client.family === 4 ? { asnV4: asn } : { asnV6: asn }) : {}),
      },
    });
  };
}

function text(value: unknown): string {
  if (value === undefined || value === null) return "";
  return String(value).trim();
}

function numberOf(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  const trimmed = text(value);
  if (!trimmed) return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : null;
}

/** Nanoseconds since the epoch (both tools write them) as a Date, or null when not a time. */
function timeOf(value: unknown): Date | null {
  const ns = numberOf(value);
  if (ns === null) return null;
  const ms = Math.floor(ns / 1e6);
  return ms >= EARLIEST_MS && ms < LATEST_MS ? new Date(ms) : null;
}

/**
 * A Verfploeter or MAnycastR CSV file, fed as text in pieces (gzip already undone). Refuses a
 * file whose header row is not the format's.
 */
export function createCatchmentCsvParser(format: CatchmentFileFormat, options: CatchmentFileOptions = {}): BatchParser<ParsedMeasurement> {
  const names = CATCHMENT_COLUMNS[format];
  const readReply = createReplyReader(format, options);
  let columns: Partial<Record<keyof ColumnNames, number>> | null = null;
  let width = 0;
  let index = 0;

  const read = (line: string, number: number, result: ParseResult<ParsedMeasurement>) => {
    if (!line.trim() || line.startsWith("#")) return;
    if (!columns) {
      const header = csvFields(line);
      const found = header.ok ? header.value.map((name) => name.toLowerCase()) : [];
      if (catchmentFormatOf(found) !== format) {
        throw new IngestRefusedError("not_format", `Not a ${format} catchment file: the header row lacks ${names.site} and ${names.address}.`);
      }
      width = found.length;
      columns = Object.fromEntries(
        Object.entries(names).flatMap(([role, name]) => (found.includes(name) ? [[role, found.indexOf(name)]] : [])),
      );
      return;
    }
    const position = { index: ++index, line: number };
    const fields = csvFields(line);
    if (!fields.ok) {
      result.total++;
      return void result.issues.push({ ...position, reason: fields.reason });
    }
    if (fields.value.length < width) {
      result.total++;
      return void result.issues.push({ ...position, reason: `has ${fields.value.length} fields, the header has ${width}` });
    }
    const at = (role: keyof ColumnNames) => (columns![role] === undefined ? undefined : fields.value[columns![role]!]);
    readReply(
      { site: at("site"), address: at("address"), time: at("time"), target: at("target"), rtt: at("rtt"), asn: at("asn"), country: at("country") },
      position,
      result,
    );
  };
  return createLineParser(read, () => {
    if (!columns) throw new IngestRefusedError("empty", "The input holds no header row.");
  });
}
