// Guesses an input's format from its first bytes, for when --format is not given:
// - JSON or NDJSON with "prb_id" or "msm_id" among its first keys: RIPE Atlas results (some
//   exports add the probe's "asn_v4" and "country_code" to each result, before them);
// - "probe_id": the simple NDJSON format;
// - "objects" (the archive wrapper) or a probe's "asn_v4", "country_code", "geometry": the probe archive;
// - otherwise text whose first line is a header naming probe_id: CSV; client_id and
//   source_address: a Verfploeter catchment file; rx and addr (after MAnycastR's `#` metadata
//   lines): a MAnycastR catchment file.
// Anything else is refused: the operator passes --format or fixes the file.
import { catchmentFormatOf } from "./catchment-file";
import { stripBom } from "./json-records";
import { IngestRefusedError, type IngestFormat } from "./types";

/** How much of the input the format is read from. */
export const SNIFF_CHARACTERS = 64 * 1024;
const KEY = /"(prb_id|msm_id|probe_id|objects|asn_v4|asn_v6|country_code|geometry)"\s*:/g;
// The first of these found decides; the order of the keys in the text does not.
const PRECEDENCE = ["prb_id", "msm_id", "probe_id", "objects", "asn_v4", "asn_v6", "country_code", "geometry"];

const BY_KEY: Record<string, IngestFormat> = {
  prb_id: "atlas",
  msm_id: "atlas",
  probe_id: "ndjson",
  objects: "atlas-probes",
  asn_v4: "atlas-probes",
  asn_v6: "atlas-probes",
  country_code: "atlas-probes",
  geometry: "atlas-probes",
};

export const UNKNOWN_FORMAT =
  "Unrecognised input: expected RIPE Atlas DNS results, a RIPE Atlas probe archive, NDJSON or CSV with a probe_id header, " +
  "or a Verfploeter or MAnycastR catchment file (CSV, gzip or Parquet); " +
  "pass --format to say which.";

export function detectFormat(text: string): IngestFormat {
  const head = stripBom(text.slice(0, SNIFF_CHARACTERS)).trimStart();
  if (!head) throw new IngestRefusedError("empty", "The input is empty.");
  if (head[0] === "[" || head[0] === "{") {
    const keys = new Set([...head.matchAll(KEY)].map((match) => match[1]!));
    const key = PRECEDENCE.find((name) => keys.has(name));
    const format = key ? BY_KEY[key] : undefined;
    if (format) return format;
    throw new IngestRefusedError("unknown_format", UNKNOWN_FORMAT);
  }
  const header = head.split(/\r?\n/).find((line) => line.trim() && !line.startsWith("#")) ?? "";
  const columns = header.split(",").map((name) => name.trim().replace(/^"|"$/g, "").toLowerCase());
  if (columns.includes("probe_id")) return "csv";
  const catchment = catchmentFormatOf(columns);
  if (catchment) return catchment;
  throw new IngestRefusedError("unknown_format", UNKNOWN_FORMAT);
}
