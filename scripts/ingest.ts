// `npm run ingest -- [--dry-run] [--json] [--format FORMAT] [--pops FILE] [--source SOURCE]
//                     [--prefix PREFIX] [--measured-at TIME] [--geolocation FILE] FILE`
// Reads RIPE Atlas DNS results, the Atlas probe archive, the simple NDJSON/CSV format, or a
// catchment file (Verfploeter CSV, MAnycastR CSV or Parquet); any of them may be gzipped.
// Without --dry-run it stores the batch in DATABASE_URL's database (atomically; re-sending adds
// nothing), reading the file as it stores it, as the API (`POST /api/v1/measurements`) reads its
// body; the API takes the same files.
// --dry-run parses and prints what would be stored without touching any database.
// --pops FILE: JSON [{ "code": "AMS1", "identities": ["ams1.ns.example", "ams1-*.ns.example"] }]
//   to match answers to PoPs during a dry run; without it answers are listed by text. When
//   storing, the database's PoPs are used.
// --source: store probes and measurements under this source (default: the format's).
// --prefix: the prefix (CIDR, address or service) of records that name none.
// --measured-at: the time (ISO 8601 with a zone) of a catchment file's replies that carry none.
// --geolocation FILE: places a catchment file's client /24s and /48s (lines `prefix,lat,lon[,country]`).
// FILE may be "-" for standard input.
// Exit codes: 0 done; 1 input refused (unreadable, unknown format, nothing usable); 2 usage.
import { config } from "../lib/config";
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { popIdentitiesList, type PopIdentities } from "../lib/ingest/identities";
import { parseGeolocation } from "../lib/ingest/geolocation";
import { collectBatch, streamInput, type ParsedBatch, type ParseOptions } from "../lib/ingest/parse-batch";
import { LISTED_ISSUES, renderSummaryText, summarise, summariseProbes, type IngestSummary } from "../lib/ingest/summary";
import { INGEST_FORMATS, IngestRefusedError, MEASUREMENT_SOURCES, type IngestFormat, type MeasurementSource } from "../lib/ingest/types";
import type { StoreResult } from "../lib/server/ingest/store-batch";
import { describeFsError } from "./fs-error";

const USAGE =
  `usage: npm run ingest -- [--dry-run] [--json] [--format ${INGEST_FORMATS.join("|")}] [--pops FILE]\n` +
  `                          [--source ${MEASUREMENT_SOURCES.join("|")}] [--prefix PREFIX]\n` +
  `                          [--measured-at ISO-TIME] [--geolocation FILE] FILE`;

export type IngestOptions = { file: string; format?: IngestFormat; popsFile?: string; measuredAt?: Date; geolocationFile?: string };
type StoreFlags = { source?: MeasurementSource; prefix?: string };
export type IngestRun = { batch: ParsedBatch; summary: IngestSummary; pops?: PopIdentities[] };

/** A file that cannot be read or understood as what it should be; the message is one line. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * Read, parse and summarise: everything short of the database, so the dry run and the writing
 * path see the same records. Throws IngestRefusedError (batch refused) or InputError.
 */
export async function runIngest(options: IngestOptions): Promise<IngestRun> {
  const pops = options.popsFile === undefined ? undefined : readPops(options.popsFile);
  const batch = await collectBatch(await streamInput(readInputBytes(options.file), options.format, parseOptions(options)));
  const summary = batch.kind === "probes" ? summariseProbes(batch.result) : summarise(batch.result, pops);
  return pops ? { batch, summary, pops } : { batch, summary };
}

/** The catchment-file options; a geolocation file's bad lines are warned about on stderr. */
function parseOptions(options: IngestOptions): ParseOptions {
  if (options.geolocationFile === undefined) return options.measuredAt ? { measuredAt: options.measuredAt } : {};
  const geolocation = parseGeolocation(readInput(options.geolocationFile));
  if (geolocation.prefixes === 0) throw new InputError(`--geolocation ${options.geolocationFile}: no line reads as prefix,lat,lon[,country]`);
  if (geolocation.issues.length) {
    const [first] = geolocation.issues;
    console.error(`catchment ingest: --geolocation ${options.geolocationFile}: ${geolocation.issues.length} line${geolocation.issues.length === 1 ? "" : "s"} left out (line ${first!.line}: ${first!.reason})`);
  }
  return { geolocation, ...(options.measuredAt ? { measuredAt: options.measuredAt } : {}) };
}

function readInput(file: string): string {
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`);
  }
}

/** The file's bytes piece by piece; a file that cannot be read is an InputError at the first piece. */
async function* readInputBytes(file: string): AsyncGenerator<Uint8Array> {
  const stream: Readable = file === "-" ? process.stdin : createReadStream(file);
  try {
    for await (const piece of stream) yield piece as Uint8Array;
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`);
  } finally {
    if (file !== "-") stream.destroy();
  }
}

function readPops(file: string): PopIdentities[] {
  let json: unknown;
  try {
    json = JSON.parse(readInput(file));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`--pops ${file} is not JSON`);
  }
  const pops = popIdentitiesList.safeParse(json);
  if (!pops.success) {
    const first = pops.error.issues[0];
    const where = `${first?.path.join(".") || "top level"}: ${first?.message}`;
    throw new InputError(`--pops ${file}: expected [{ "code": ..., "identities": [...] }] (${where})`);
  }
  return pops.data;
}

type Cli = { options: IngestOptions; store: StoreFlags; dryRun: boolean; json: boolean } | { help: true } | { usage: string };

function parseCli(argv: string[]): Cli {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        format: { type: "string" },
        pops: { type: "string" },
        source: { type: "string" },
        prefix: { type: "string" },
        "measured-at": { type: "string" },
        geolocation: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return { usage: error instanceof Error ? error.message : "bad arguments" };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1) return { usage: positionals.length ? "give one FILE" : "FILE is missing" };
  const format = values.format;
  if (format !== undefined && !(INGEST_FORMATS as readonly string[]).includes(format)) {
    return { usage: `unknown --format ${format}` };
  }
  const source = values.source;
  if (source !== undefined && !(MEASUREMENT_SOURCES as readonly string[]).includes(source)) {
    return { usage: `unknown --source ${source}` };
  }
  const measuredAtText = values["measured-at"];
  const measuredAt = measuredAtText === undefined ? undefined : new Date(measuredAtText);
  if (measuredAt && (!/\d{2}:\d{2}.*(Z|[+-]\d{2}:?\d{2})$/i.test(measuredAtText!) || Number.isNaN(measuredAt.getTime()))) {
    return { usage: `--measured-at ${measuredAtText} is not an ISO 8601 time with a zone (e.g. 2026-12-05T04:00:00Z)` };
  }
  return {
    options: {
      file: positionals[0]!,
      ...(format ? { format: format as IngestFormat } : {}),
      ...(values.pops ? { popsFile: values.pops } : {}),
      ...(measuredAt ? { measuredAt } : {}),
      ...(values.geolocation ? { geolocationFile: values.geolocation } : {}),
    },
    store: { ...(source ? { source: source as MeasurementSource } : {}), ...(values.prefix ? { prefix: values.prefix } : {}) },
    dryRun: values["dry-run"],
    json: values.json,
  };
}

async function main(argv: string[]): Promise<number> {
  const cli = parseCli(argv);
  if ("help" in cli) {
    console.log(USAGE);
    return 0;
  }
  if ("usage" in cli) {
    console.error(`catchment ingest: ${cli.usage}\n${USAGE}`);
    return 2;
  }
  const databaseUrl = config().DATABASE_URL;
  if (!cli.dryRun && !databaseUrl) {
    console.error("catchment ingest: set DATABASE_URL to store the batch, or run with --dry-run to check a file.");
    return 2;
  }
  try {
    if (cli.dryRun) {
      const { batch, summary } = await runIngest(cli.options);
      report(cli.json, { dryRun: true, format: batch.format, ...summary }, `Dry run (${batch.format}, nothing written)\n${renderSummaryText(summary)}`);
      return 0;
    }
    // Loaded only to store: a dry run needs no database client at all.
    const { createDbClient } = await import("../lib/server/db/create-client");
    const { storeStreamedBatch } = await import("../lib/server/ingest/store-streamed-batch");
    const db = createDbClient(databaseUrl!, 2);
    try {
      const batch = await streamInput(readInputBytes(cli.options.file), cli.options.format, parseOptions(cli.options));
      const stored = await storeStreamedBatch(db, databaseUrl!, batch, cli.store);
      report(cli.json, { dryRun: false, format: batch.format, ...stored }, `Stored (${batch.format})\n${renderStoredText(stored)}`);
      return 0;
    } finally {
      await db.$disconnect();
    }
  } catch (error) {
    if (!(error instanceof IngestRefusedError || error instanceof InputError)) throw error;
    if (cli.json && error instanceof IngestRefusedError) {
      const { code, message, issues, issueCount } = error;
      const refused = { code, message, issueCount, issues: issues.slice(0, LISTED_ISSUES) };
      console.log(JSON.stringify({ refused }, null, 2));
    }
    console.error(`catchment ingest: ${error.message}`);
    return 1;
  }
}

function report(json: boolean, value: object, text: string) {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}

function renderStoredText(stored: StoreResult): string {
  const written =
    stored.kind === "probes"
      ? `${stored.created} probes created, ${stored.updated} updated`
      : `${stored.written} measurements written, ${stored.alreadyStored} already stored` +
        (stored.probesCreated ? `, ${stored.probesCreated} probes created` : "");
  return `${written}\n${renderSummaryText(stored)}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
