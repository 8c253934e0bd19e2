// `npm run rpki -- check --vrps FILE [--slurm FILE] [--format F] [--json] PREFIX ASN`
// RFC 6811 origin validation of one route against a VRP file, with no database.
// FILE: Routinator CSV, JSON, jsonext or bird2, rpki-client or StayRTR JSON, a JSON list of
// {asn, prefix, maxLength} (BGPalerter), or SLURM (v1 or v2); "-" reads stdin. Parts not used
// (BGPsec keys, ASPA objects: the check has a route origin, not an AS path) are counted on stderr.
// --slurm FILE applies a SLURM file's filters and assertions on top of --vrps, as a validator would.
// VRPs the file says expired before now (rpki-client's `expires`) are left out, and counted.
// Exit codes: 0 checked (Valid or NotFound); 3 checked and RPKI-invalid; 1 a file is unreadable,
// malformed (each bad line named) or has no VRPs; 2 usage.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseAsn } from "../lib/domain/asn";
import { parseCidr } from "../lib/domain/cidr";
import { VALIDITY_LABELS } from "../lib/domain/rpki";
import { expiredInFile, filterMatches, isExpired } from "../lib/domain/roas/roa-import";
import { VrpIndex } from "../lib/domain/roas/vrp-index";
import { VRP_FORMATS, describeIssue, parseVrpFile, type ParsedVrpFile, type VrpFormat, type VrpRecord } from "../lib/domain/roas/vrp-parse";
import { cidr } from "../lib/domain/cidr";
import { describeFsError } from "./fs-error";

const USAGE = `usage: npm run rpki -- check --vrps FILE [--slurm FILE] [--format ${VRP_FORMATS.join("|")}] [--json] PREFIX ASN`;

export const EXIT = { checked: 0, fileError: 1, usage: 2, invalid: 3 } as const;

type Output = { out: string[]; err: string[] };

/** Why bytes cannot be a VRP file, if they plainly are not text: a compressed or binary file. */
function notText(bytes: Buffer): string | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return "it is gzip-compressed: gunzip it first";
  if (bytes.subarray(0, 4096).includes(0)) return "it is not text: is it a validator's VRP export?";
  return null;
}

function load(file: string, format: VrpFormat | undefined, io: Output): ParsedVrpFile | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === "-" ? 0 : file);
  } catch (error) {
    io.err.push(`catchment rpki: cannot read ${file}: ${describeFsError(error)}`);
    return null;
  }
  const refusal = notText(bytes);
  if (refusal) {
    io.err.push(`catchment rpki: cannot read ${file}: ${refusal}`);
    return null;
  }
  const parsed = parseVrpFile(bytes.toString("utf8"), { format });
  if (parsed.issues.length) {
    for (const issue of parsed.issues.slice(0, 50)) io.err.push(`catchment rpki: ${file}: ${describeIssue(issue)}`);
    if (parsed.issues.length > 50) io.err.push(`catchment rpki: ${file}: and ${parsed.issues.length - 50} more`);
    io.err.push(`catchment rpki: ${file} is malformed (${parsed.issues.length} bad record${parsed.issues.length === 1 ? "" : "s"}); nothing was checked.`);
    return null;
  }
  for (const warning of parsed.warnings) io.err.push(`catchment rpki: ${file}: ${warning}`);
  // The import stores ASPA objects; this check has no AS path to verify them against.
  if (parsed.aspas.length) io.err.push(`catchment rpki: ${file}: ${parsed.aspas.length.toLocaleString("en")} ASPA object${parsed.aspas.length === 1 ? "" : "s"} not used: this check validates route origins only`);
  return parsed;
}

const vrpCount = (n: number) => `${n.toLocaleString("en")} VRP${n === 1 ? "" : "s"}`;

/**
 * Runs the CLI on argv and returns the exit code with what it would print: testable without
 * spawning. `now`: VRPs whose file says they expired before it are left out, as a validator would.
 */
export function runRpki(argv: string[], now = new Date()): Output & { code: number } {
  const io: Output = { out: [], err: [] };
  const usage = (message: string) => {
    io.err.push(`catchment rpki: ${message}`, USAGE);
    return { ...io, code: EXIT.usage };
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { vrps: { type: "string" }, slurm: { type: "string" }, format: { type: "string" }, json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (error) {
    return usage(error instanceof Error ? error.message : "bad arguments");
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out.push(USAGE);
    return { ...io, code: 0 };
  }
  const [command, prefixText, asnText, ...extra] = positionals;
  if (command !== "check") return usage(command ? `unknown command ${command}` : "the command is missing (check)");
  if (!values.vrps) return usage("--vrps FILE is missing");
  if (prefixText === undefined || asnText === undefined || extra.length) return usage("give PREFIX and ASN, e.g. check --vrps vrps.csv 192.0.2.0/24 AS64500");
  if (values.format !== undefined && !(VRP_FORMATS as readonly string[]).includes(values.format)) return usage(`unknown --format ${values.format}`);
  const route = parseCidr(prefixText);
  if (!route.ok) return usage(route.error);
  const asn = parseAsn(asnText);
  if (!asn.ok) return usage(asn.error);

  const vrps = load(values.vrps, values.format as VrpFormat | undefined, io);
  if (!vrps) return { ...io, code: EXIT.fileError };
  // An empty export is a validator run that failed, not a world without ROAs: checking against it
  // would call every route NotFound.
  if (vrps.vrps.length === 0) {
    io.err.push(`catchment rpki: ${values.vrps} has no VRPs: nothing to check against.`);
    return { ...io, code: EXIT.fileError };
  }
  const expired = expiredInFile(vrps, now);
  if (expired) {
    io.err.push(`catchment rpki: ${values.vrps}: ${vrpCount(expired.count)} expired before now (the latest at ${expired.latest.toISOString()}) and ${expired.count === 1 ? "is" : "are"} left out, as a validator leaves them: export a fresh file.`);
  }
  if (expired?.count === vrps.vrps.length) {
    io.err.push(`catchment rpki: every VRP in ${values.vrps} expired before now: nothing to check against.`);
    return { ...io, code: EXIT.fileError };
  }
  let records: VrpRecord[] = vrps.vrps.filter((record) => !isExpired(record, now));
  let file = new Map(records.map((record) => [record, values.vrps!]));
  if (values.slurm) {
    const slurm = load(values.slurm, "slurm", io);
    if (!slurm) return { ...io, code: EXIT.fileError };
    const kept = records.filter((record) => !slurm.filters.some((filter) => filterMatches(filter, { prefix: cidr(record.prefix), asn: record.asn })));
    records = [...kept, ...slurm.vrps];
    file = new Map([...kept.map((record) => [record, values.vrps!] as const), ...slurm.vrps.map((record) => [record, values.slurm!] as const)]);
  }
  const index = new VrpIndex(records.map((record) => ({ prefix: cidr(record.prefix), maxLength: record.maxLength, asn: record.asn, record })));
  const result = index.validate(route.cidr, asn.asn);
  const matching = new Set(result.matching);
  const covering = result.covering.map((vrp) => ({ asn: vrp.asn, prefix: vrp.record.prefix, maxLength: vrp.maxLength, source: vrp.record.source, file: file.get(vrp.record)!, line: vrp.record.line, matches: matching.has(vrp) }));
  if (values.json) {
    io.out.push(JSON.stringify({ prefix: route.cidr.text, asn: asn.asn, state: result.validity, label: VALIDITY_LABELS[result.validity], covering, vrps: records.length }, null, 2));
  } else {
    io.out.push(`${route.cidr.text} AS${asn.asn}: ${VALIDITY_LABELS[result.validity]} (against ${vrpCount(records.length)})`);
    if (covering.length === 0) io.out.push("No VRP covers this prefix.");
    else {
      io.out.push(`Covering VRPs (${covering.length}):`);
      for (const vrp of covering) {
        io.out.push(`  ${vrp.matches ? "match" : "     "}  AS${vrp.asn} ${vrp.prefix} max /${vrp.maxLength} (${vrp.source}; ${vrp.file}${vrp.line ? ` line ${vrp.line}` : ""})`);
      }
    }
  }
  const invalid = result.validity === "invalid_asn" || result.validity === "invalid_length";
  return { ...io, code: invalid ? EXIT.invalid : EXIT.checked };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { out, err, code } = runRpki(process.argv.slice(2));
  if (out.length) process.stdout.write(`${out.join("\n")}\n`);
  if (err.length) process.stderr.write(`${err.join("\n")}\n`);
  process.exitCode = code;
}
