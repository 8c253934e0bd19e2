// The shapes every ingest parser produces. Pure data: no database, no server-only code, so the
// CLI's dry run, the API route and the probe simulator share them.

/** Where a measurement or probe came from; the same values as the database's ProbeSource. */
export const MEASUREMENT_SOURCES = ["atlas", "upload", "lab", "simulated", "verfploeter", "manycastr"] as const;
export type MeasurementSource = (typeof MEASUREMENT_SOURCES)[number];

/**
 * What an input file is: RIPE Atlas DNS results, the Atlas probe archive, the simple format, or
 * a catchment file (Verfploeter CSV; MAnycastR CSV or Parquet): see lib/ingest/catchment-file.ts.
 */
export const INGEST_FORMATS = ["atlas", "atlas-probes", "ndjson", "csv", "verfploeter", "manycastr"] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];

/**
 * Where a probe stands and whose network it sits in, when the input says so. A catchment file's
 * client /24 has no coordinates unless a geolocation file gives them.
 */
export type ProbeLocation = {
  lat: number | null;
  lon: number | null;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  asnV4?: number;
  asnV6?: number;
};

/** One answer from one probe about one target: a row of the measurement table to be. */
/** Where a record sits in its batch; see ParseIssue. */
export type RecordPosition = { index: number; line?: number };

export type ParsedMeasurement = {
  /** The input record it came from, so a later refusal (unknown probe, no prefix) can name it. */
  position: RecordPosition;
  source: MeasurementSource;
  probeExternalId: string;
  /** The address queried (Atlas `dst_addr`) or the prefix/service named by an upload; may be empty. */
  target: string;
  /**
   * The name the server gave (a CHAOS TXT answer, an NSID, a CNAME target), e.g.
   * "ams1-a.ns.example"; null when the record names its PoP directly.
   */
  answer: string | null;
  /** The PoP named by an upload's `pop` column; Atlas results never name one. */
  popCode: string | null;
  rttMs: number | null;
  measuredAt: Date;
  /** The probe's own public address, as Atlas reports it in `from`. */
  probeAddress?: string;
  /** The RIPE Atlas measurement id. */
  msmId?: number;
  /** Where the probe stands, when the record carries it (uploads do, Atlas results do not). */
  probe?: ProbeLocation;
};

/** A probe from the RIPE Atlas probe archive, in the database's words. */
export type ParsedProbe = {
  source: "atlas";
  externalId: string;
  lat: number;
  lon: number;
  country: string | null;
  asnV4: number | null;
  asnV6: number | null;
  addressV4: string | null;
  addressV6: string | null;
};

/**
 * A record that could not be used. `index` is the record's 1-based position in the batch: the
 * array element, the non-blank NDJSON line, or the CSV data row (header not counted). `line`
 * is the line of the file it ends on, for line-based inputs.
 */
export type ParseIssue = RecordPosition & { reason: string };

export type ParseResult<T> = {
  records: T[];
  /** Malformed records, and the Atlas results that reported an error (see `errors`). */
  issues: ParseIssue[];
  /**
   * Atlas results (or resultset entries) that carry `error` instead of `result`: the probe
   * ran the query and it failed (timeout, socket error). Counted here and also listed among
   * `issues` with the reason "probe reported: …", so none is dropped silently.
   */
  errors: number;
  /** Records in the input: array elements, non-blank lines, or CSV data rows. */
  total: number;
  /**
   * Records the parser counted once and left out, as repeats of one it kept (a catchment
   * file's second reply from the same client /24). Other parsers keep repeats for the store.
   */
  duplicates?: number;
};

/**
 * A format's parser fed the text in pieces: `push` gives what is whole so far, `end` the rest
 * (and refuses a text that turned out not to be the format). Each result counts its own records.
 */
export type BatchParser<T> = { push(text: string): ParseResult<T>; end(): ParseResult<T> };

/** Runs a parser over a whole text at once. */
export function parseWhole<T>(parser: BatchParser<T>, text: string): ParseResult<T> {
  const first = parser.push(text);
  const last = parser.end();
  return {
    records: [...first.records, ...last.records],
    issues: [...first.issues, ...last.issues],
    errors: first.errors + last.errors,
    total: first.total + last.total,
    duplicates: (first.duplicates ?? 0) + (last.duplicates ?? 0),
  };
}

export type RefusalCode = "empty" | "unknown_format" | "not_format" | "all_bad" | "too_large";

/** The whole batch is refused: nothing of it may be stored. The message is for the operator. */
export class IngestRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    /** The first issues (a streamed batch keeps no more than it lists). */
    readonly issues: ParseIssue[] = [],
    readonly issueCount = issues.length,
  ) {
    super(message);
    this.name = "IngestRefusedError";
  }
}

/**
 * What makes a measurement the same measurement when it is sent again: the database keeps one
 * row per key, so re-sending a batch adds nothing.
 */
export function measurementKey(m: ParsedMeasurement): string {
  return `${m.source}|${m.probeExternalId}|${m.target}|${m.measuredAt.toISOString()}`;
}
