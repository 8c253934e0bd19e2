// Parsers for the VRP/ROA sets operators already have: Routinator's CSV, JSON and bird2 exports
// (and rpki-client's and StayRTR's JSON, which share Routinator's shape, ASPA objects included),
// a generic JSON list (BGPalerter's VRP files), and SLURM (RFC 8416, and its version 2) local
// filters and assertions. Pure: text in, records and numbered issues out. A file with any bad
// ROA record is refused as a whole by the import (a partial ROA set would turn valid routes
// invalid), so every issue is reported at once. A bad ASPA object is skipped with a warning:
// nothing here validates paths with ASPAs, so a partial set cannot turn a route invalid.
import { parseCidr, maxLengthOf, type Cidr } from "../cidr";
import { MAX_ASN } from "../asn";
import { arrayElementOffsets, jsonSyntaxErrorLine, linesAt } from "./json-offsets";

export const VRP_FORMATS = ["routinator-csv", "routinator-json", "generic-json", "slurm", "bird2"] as const;
export type VrpFormat = (typeof VRP_FORMATS)[number];

export const VRP_FORMAT_LABELS: Record<VrpFormat, string> = {
  "routinator-csv": "Routinator CSV",
  "routinator-json": "Routinator or rpki-client JSON",
  "generic-json": "JSON list",
  slurm: "SLURM (RFC 8416)",
  bird2: "BIRD 2 roa table",
};

/**
 * One VRP as read: `source` is its trust anchor ("ripe", ...), the import's default, or "slurm".
 * `expiresAt`: when the file says the VRP stops being valid (rpki-client's, StayRTR's and
 * BGPalerter's `expires`), if it says.
 */
export type VrpRecord = { prefix: string; maxLength: number; asn: number; source: string; line: number | null; expiresAt?: Date | null };

export const ASPA_FAMILIES = ["ipv4", "ipv6"] as const;
export type AspaFamily = (typeof ASPA_FAMILIES)[number];

/**
 * One ASPA object as read: `customerAsn` names `providerAsns` (sorted, once each; AS0 means it
 * has none) as its upstreams. `afi` is the family of rpki-client's older per-family lists (or
 * Routinator's `afi` member), null when the file does not split by family. `ta` is the trust
 * anchor as the file names it, null when it names none; `source` is read from it as a ROA's is.
 */
export type AspaRecord = { customerAsn: number; providerAsns: number[]; afi: AspaFamily | null; ta: string | null; source: string; expiresAt: Date | null };

/** A SLURM prefix filter: drops validator VRPs matching the prefix (and more-specifics) and/or the ASN. */
export type SlurmFilter = { prefix: string | null; asn: number | null; comment: string };

export type ParseIssue = { line: number | null; record: number | null; message: string };

export type ParsedVrpFile = {
  format: VrpFormat;
  vrps: VrpRecord[];
  aspas: AspaRecord[];
  filters: SlurmFilter[];
  issues: ParseIssue[];
  /** Records repeated in the file, counted once. */
  duplicates: number;
  /** Parts of the file Catchment does not use (BGPsec keys, SLURM's ASPA members) and malformed ASPA objects, each counted: not a reason to refuse it. */
  warnings: string[];
};

/** Sources an import may not name: they belong to the console's own ROAs and to SLURM. */
export const RESERVED_SOURCES = ["manual", "slurm"] as const;
export const DEFAULT_IMPORT_SOURCE = "import";

/** An ASN as validators write it: "AS2914", "2914" or 2914. AS0 is valid in a ROA (RFC 6483). */
export function parseVrpAsn(input: unknown): { ok: true; asn: number } | { ok: false; error: string } {
  let text: string;
  if (typeof input === "number") text = Number.isInteger(input) ? String(input) : "";
  else if (typeof input === "string") text = input.trim().replace(/^as/i, "");
  else return { ok: false, error: `asn ${JSON.stringify(input) ?? "(missing)"} is not an AS number` };
  if (!/^\d{1,10}$/.test(text) || Number(text) > MAX_ASN) return { ok: false, error: `asn ${JSON.stringify(input)} is not an AS number (0-${MAX_ASN}, e.g. AS64500)` };
  return { ok: true, asn: Number(text) };
}

/** The source a record goes to: its trust anchor, or the import's default when it names none. */
function resolveSource(raw: unknown, fallback: string): { ok: true; source: string } | { ok: false; error: string } {
  if (raw === undefined || raw === null || raw === "") return { ok: true, source: fallback };
  const parsed = normaliseSource(String(raw));
  if (!parsed.ok) return parsed;
  if ((RESERVED_SOURCES as readonly string[]).includes(parsed.source)) return { ok: false, error: `trust anchor "${parsed.source}" is reserved for the console's own ROAs` };
  return parsed;
}

export function normaliseSource(input: string): { ok: true; source: string } | { ok: false; error: string } {
  const source = input.trim().toLowerCase();
  // "/" for "N/A", the trust anchor validators give VRPs from local exceptions.
  if (!/^[a-z0-9][a-z0-9._/-]{0,39}$/.test(source)) return { ok: false, error: `trust anchor ${JSON.stringify(input)} is not a short name such as "ripe"` };
  return { ok: true, source };
}

type Fields = { asn: unknown; prefix: unknown; maxLength: unknown };

/** Checks one record's fields; maxLength may be optional (then the prefix's own length). */
export function parseVrpFields(fields: Fields, maxLengthRequired: boolean): { ok: true; prefix: string; maxLength: number; asn: number } | { ok: false; error: string } {
  const asn = parseVrpAsn(fields.asn);
  if (!asn.ok) return asn;
  if (typeof fields.prefix !== "string") return { ok: false, error: "prefix is missing" };
  const prefix = fastIpv4Prefix(fields.prefix) ?? parseCidr(fields.prefix);
  if (!prefix.ok) return { ok: false, error: prefix.error };
  let maxLength = prefix.cidr.length;
  const raw = fields.maxLength;
  if (raw === undefined || raw === null || raw === "") {
    if (maxLengthRequired) return { ok: false, error: "max length is missing" };
  } else {
    const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
    if (!/^\d{1,3}$/.test(text)) return { ok: false, error: `max length ${JSON.stringify(raw)} is not a number` };
    maxLength = Number(text);
  }
  const longest = maxLengthOf(prefix.cidr.family);
  if (maxLength < prefix.cidr.length || maxLength > longest) {
    return { ok: false, error: `max length ${maxLength} must be between the prefix length ${prefix.cidr.length} and ${longest} for ${prefix.cidr.text}` };
  }
  return { ok: true, prefix: prefix.cidr.text, maxLength, asn: asn.asn };
}

const IPV4_PREFIX = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/;

/**
 * The common case (a canonical IPv4 prefix without host bits) without ipaddr.js: most of a
 * validator export is IPv4, and this is several times faster. Anything else, including every
 * error, goes through parseCidr so the messages stay the same.
 */
function fastIpv4Prefix(text: string): { ok: true; cidr: Cidr } | null {
  const match = IPV4_PREFIX.exec(text);
  if (!match) return null;
  const octets = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
  const length = Number(match[5]);
  if (length > 32 || octets.some((octet) => octet > 255)) return null;
  const value = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const hostBits = length === 32 ? 0 : length === 0 ? value : value % 2 ** (32 - length);
  if (hostBits !== 0) return null;
  return { ok: true, cidr: { text, family: 4, length, network: BigInt(value) } };
}

export function vrpKey(vrp: { prefix: string; maxLength: number; asn: number; source: string }): string {
  return `${vrp.source}|${vrp.prefix}|${vrp.maxLength}|${vrp.asn}`;
}

export function aspaKey(aspa: { customerAsn: number; providerAsns: readonly number[]; afi: AspaFamily | null; source: string }): string {
  return `${aspa.source}|${aspa.customerAsn}|${aspa.afi ?? ""}|${aspa.providerAsns.join(",")}`;
}

/** Skipped records named one by one in the warnings, past which they are only counted. */
const SKIPPED_NAMED = 10;

class Collector {
  readonly vrps: VrpRecord[] = [];
  readonly aspas: AspaRecord[] = [];
  readonly issues: ParseIssue[] = [];
  private readonly seen = new Set<string>();
  duplicates = 0;
  readonly warnings: string[] = [];

  /** Counts `count` ignored items of a kind, when there are any. */
  ignored(count: number, what: string) {
    if (count > 0) this.warnings.push(`${count} ${what} ignored: Catchment validates route origins only`);
  }

  /** Counts malformed records of a kind that are left out rather than refusing the file, naming the first few. */
  skipped(what: string, issues: readonly ParseIssue[]) {
    if (issues.length === 0) return;
    this.warnings.push(`${issues.length} malformed ${what} skipped`);
    for (const issue of issues.slice(0, SKIPPED_NAMED)) this.warnings.push(describeIssue(issue));
  }

  result(format: VrpFormat, filters: SlurmFilter[] = []): ParsedVrpFile {
    return { format, vrps: this.vrps, aspas: this.aspas, filters, issues: this.issues, duplicates: this.duplicates, warnings: this.warnings };
  }

  add(vrp: VrpRecord) {
    const key = vrpKey(vrp);
    if (this.seen.has(key)) {
      this.duplicates++;
      return;
    }
    this.seen.add(key);
    this.vrps.push(vrp);
  }

  addAspa(aspa: AspaRecord) {
    const key = `aspa|${aspaKey(aspa)}`;
    if (this.seen.has(key)) {
      this.duplicates++;
      return;
    }
    this.seen.add(key);
    this.aspas.push(aspa);
  }

  issue(line: number | null, record: number | null, message: string) {
    this.issues.push({ line, record, message });
  }
}

function sourceOf(raw: unknown, fallback: string, collector: Collector, line: number | null, record: number | null): string | null {
  const resolved = resolveSource(raw, fallback);
  if (resolved.ok) return resolved.source;
  collector.issue(line, record, resolved.error);
  return null;
}

const CSV_COLUMNS = {
  asn: ["asn", "as", "origin", "origin asn"],
  prefix: ["ip prefix", "prefix"],
  maxLength: ["max length", "maxlength", "max_length", "max prefix length"],
  source: ["trust anchor", "ta", "source"],
};

/** Routinator's `--format csv` (`ASN,IP Prefix,Max Length,Trust Anchor`); the header is optional. */
export function parseRoutinatorCsv(text: string, defaultSource = DEFAULT_IMPORT_SOURCE): ParsedVrpFile {
  const collector = new Collector();
  const lines = text.split(/\r?\n/);
  let columns = { asn: 0, prefix: 1, maxLength: 2, source: 3 };
  let record = 0;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === "" || content.startsWith("#")) return;
    const cells = content.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
    if (record === 0 && !/^(as)?\d/i.test(cells[0] ?? "")) {
      // A header: map its columns by name, so extra or reordered columns still read right.
      const names = cells.map((cell) => cell.toLowerCase());
      const find = (options: string[]) => names.findIndex((name) => options.includes(name));
      const found = { asn: find(CSV_COLUMNS.asn), prefix: find(CSV_COLUMNS.prefix), maxLength: find(CSV_COLUMNS.maxLength), source: find(CSV_COLUMNS.source) };
      if (found.asn < 0 || found.prefix < 0 || found.maxLength < 0) {
        collector.issue(line, null, `header "${content}" lacks the ASN, IP Prefix and Max Length columns`);
        record = -1;
        return;
      }
      columns = found;
      record = -1;
      return;
    }
    if (record < 0) record = 0;
    record++;
    if (cells.length < 3) {
      collector.issue(line, record, `expected ASN,IP Prefix,Max Length[,Trust Anchor], found ${cells.length} field${cells.length === 1 ? "" : "s"}`);
      return;
    }
    const parsed = parseVrpFields({ asn: cells[columns.asn], prefix: cells[columns.prefix], maxLength: cells[columns.maxLength] }, true);
    if (!parsed.ok) {
      collector.issue(line, record, parsed.error);
      return;
    }
    const source = sourceOf(columns.source >= 0 ? cells[columns.source] : undefined, defaultSource, collector, line, record);
    if (source) collector.add({ prefix: parsed.prefix, maxLength: parsed.maxLength, asn: parsed.asn, source, line });
  });
  return collector.result("routinator-csv");
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; issue: ParseIssue } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const line = jsonSyntaxErrorLine(text, error);
    return { ok: false, issue: { line, record: null, message: `not valid JSON${line ? "" : ` (${error instanceof Error ? error.message : "parse error"})`}` } };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Records of a JSON array with the line each starts on (null when `lines` is off: a scan of a big file costs). */
function withLines(text: string, items: unknown[], key: string | undefined, wanted: boolean): { item: unknown; line: number | null }[] {
  if (!wanted) return items.map((item) => ({ item, line: null }));
  const offsets = arrayElementOffsets(text, key);
  const lines = offsets.length === items.length ? linesAt(text, offsets) : null;
  return items.map((item, index) => ({ item, line: lines ? lines[index]! : null }));
}

function parseJsonRecords(text: string, items: unknown[], key: string | undefined, format: VrpFormat, defaultSource: string, lines = true): Collector {
  const collector = new Collector();
  withLines(text, items, key, lines).forEach(({ item, line }, index) => {
    const record = index + 1;
    if (!isObject(item)) {
      collector.issue(line, record, "expected an object such as {\"asn\": \"AS64500\", \"prefix\": \"192.0.2.0/24\", \"maxLength\": 24}");
      return;
    }
    const parsed = parseVrpFields({ asn: item.asn, prefix: item.prefix, maxLength: item.maxLength ?? item.max_length ?? item.maxPrefixLength }, format === "routinator-json");
    if (!parsed.ok) {
      collector.issue(line, record, parsed.error);
      return;
    }
    const expires = readExpires(item);
    if (!expires.ok) {
      collector.issue(line, record, expires.error);
      return;
    }
    const source = sourceOf(namedTrustAnchor(item), defaultSource, collector, line, record);
    if (source) collector.add({ prefix: parsed.prefix, maxLength: parsed.maxLength, asn: parsed.asn, source, line, ...(expires.expiresAt ? { expiresAt: expires.expiresAt } : {}) });
  });
  return collector;
}

function refused(format: VrpFormat, issue: ParseIssue): ParsedVrpFile {
  return { format, vrps: [], aspas: [], filters: [], issues: [issue], duplicates: 0, warnings: [] };
}

/**
 * Routinator's jsonext `source`: a list of objects such as {"type": "roa", "tal": "ripe", ...}
 * or {"type": "exception", "path": null}. The trust anchor of the first that names one, else
 * the first one's type ("exception"), never "[object Object]".
 */
function jsonextSource(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  const objects = raw.filter(isObject);
  const tal = objects.find((entry) => typeof entry.tal === "string" && entry.tal !== "")?.tal;
  return tal ?? (typeof objects[0]?.type === "string" ? objects[0].type : undefined);
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** The trust anchor a record names: `ta` (Routinator json, rpki-client), `trustAnchor`, or jsonext's `source` list. */
function namedTrustAnchor(item: Record<string, unknown>): unknown {
  return item.ta ?? item.trustAnchor ?? jsonextSource(item.source);
}

type AspaList = { items: unknown[]; afi: AspaFamily | null; path: [string] | [string, AspaFamily] };

/**
 * The ASPA lists of a validator's JSON: `aspas` (Routinator; rpki-client since it dropped the
 * family split), and `provider_authorizations` with one list per family (older rpki-client, StayRTR).
 */
function aspaLists(value: Record<string, unknown>): AspaList[] {
  const lists: AspaList[] = [];
  if (Array.isArray(value.aspas)) lists.push({ items: value.aspas, afi: null, path: ["aspas"] });
  const byFamily = value.provider_authorizations;
  if (isObject(byFamily)) {
    for (const afi of ASPA_FAMILIES) if (Array.isArray(byFamily[afi])) lists.push({ items: byFamily[afi], afi, path: ["provider_authorizations", afi] });
  }
  return lists;
}

/** An object's `expires` (seconds since 1970, as rpki-client writes it), null when it has none. */
function readExpires(item: Record<string, unknown>): { ok: true; expiresAt: Date | null } | { ok: false; error: string } {
  if (item.expires === undefined || item.expires === null) return { ok: true, expiresAt: null };
  if (typeof item.expires !== "number" || !Number.isSafeInteger(item.expires) || item.expires < 0) return { ok: false, error: `expires ${JSON.stringify(item.expires)} is not a time in seconds since 1970` };
  return { ok: true, expiresAt: new Date(item.expires * 1000) };
}

/** One ASPA object: `{customer_asid, expires, providers: [numbers]}` (rpki-client) or `{customer: "AS1", providers: ["AS2"], ta}` (Routinator). */
function readAspa(item: unknown, listAfi: AspaFamily | null, defaultSource: string): { ok: true; aspa: AspaRecord } | { ok: false; error: string } {
  if (!isObject(item)) return { ok: false, error: 'expected an object such as {"customer": "AS64500", "providers": ["AS64501"]}' };
  const customer = parseVrpAsn(item.customer_asid ?? item.customer);
  if (!customer.ok) return { ok: false, error: `customer: ${customer.error}` };
  if (customer.asn === 0) return { ok: false, error: "customer AS0 cannot authorise providers" };
  if (!Array.isArray(item.providers) || item.providers.length === 0) return { ok: false, error: "providers is not a list of AS numbers" };
  const providers = new Set<number>();
  for (const raw of item.providers) {
    const provider = parseVrpAsn(raw);
    if (!provider.ok) return { ok: false, error: `provider: ${provider.error}` };
    providers.add(provider.asn);
  }
  let afi = listAfi;
  if (afi === null && item.afi !== undefined && item.afi !== null) {
    if (!(ASPA_FAMILIES as readonly unknown[]).includes(item.afi)) return { ok: false, error: `afi ${JSON.stringify(item.afi)} is not "ipv4" or "ipv6"` };
    afi = item.afi as AspaFamily;
  }
  const expires = readExpires(item);
  if (!expires.ok) return expires;
  const named = namedTrustAnchor(item);
  const source = resolveSource(named, defaultSource);
  if (!source.ok) return source;
  const ta = named === undefined || named === null || named === "" ? null : String(named);
  return { ok: true, aspa: { customerAsn: customer.asn, providerAsns: [...providers].sort((a, b) => a - b), afi, ta, source: source.source, expiresAt: expires.expiresAt } };
}

/** Lines of the elements of an ASPA list: found only when one is malformed, as the scan costs on a full export. */
function aspaListLines(text: string, list: AspaList): (number | null)[] {
  if (list.path.length === 1) {
    const offsets = arrayElementOffsets(text, list.path[0]);
    return offsets.length === list.items.length ? linesAt(text, offsets) : [];
  }
  return nestedOffsets(text, list.path[1], list.items.length, Math.max(0, text.search(new RegExp(`"${list.path[0]}"\\s*:`))));
}

function readAspas(text: string, value: Record<string, unknown>, defaultSource: string, collector: Collector) {
  const skipped: ParseIssue[] = [];
  for (const list of aspaLists(value)) {
    const bad: { index: number; error: string }[] = [];
    list.items.forEach((item, index) => {
      const read = readAspa(item, list.afi, defaultSource);
      if (read.ok) collector.addAspa(read.aspa);
      else bad.push({ index, error: read.error });
    });
    if (bad.length === 0) continue;
    const lines = aspaListLines(text, list);
    const where = list.afi ? `${list.afi} ASPA object` : "ASPA object";
    for (const { index, error } of bad) skipped.push({ line: lines[index] ?? null, record: index + 1, message: `${where} skipped: ${error}` });
  }
  skipped.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  collector.skipped(skipped.length === 1 ? "ASPA object" : "ASPA objects", skipped);
}

/**
 * Routinator's `--format json` and `jsonext`: `{"metadata": ..., "roas": [{"asn", "prefix", "maxLength", "ta"}], "aspas": [...]}`,
 * the shape rpki-client's `-j` output and StayRTR's files share (their ASPA objects spelled their
 * own way: see readAspa). Router keys (`routerKeys`; rpki-client's `bgpsec_keys`) are counted, not used.
 */
export function parseRoutinatorJson(text: string, defaultSource = DEFAULT_IMPORT_SOURCE, lines = true): ParsedVrpFile {
  const json = parseJson(text);
  if (!json.ok) return refused("routinator-json", json.issue);
  const value = json.value;
  if (!isObject(value) || !Array.isArray(value.roas)) return refused("routinator-json", { line: 1, record: null, message: 'expected an object with a "roas" array' });
  // Without `lines`, lines are found only when a record is bad: the scan costs on a full export.
  let collector = parseJsonRecords(text, value.roas, "roas", "routinator-json", defaultSource, lines);
  if (collector.issues.length && !lines) collector = parseJsonRecords(text, value.roas, "roas", "routinator-json", defaultSource);
  collector.ignored(lengthOf(value.routerKeys) + lengthOf(value.bgpsec_keys), "BGPsec router keys");
  readAspas(text, value, defaultSource, collector);
  return collector.result("routinator-json");
}

/** A JSON array of `{asn, prefix, maxLength}`; maxLength defaults to the prefix length. */
export function parseGenericJson(text: string, defaultSource = DEFAULT_IMPORT_SOURCE, lines = true): ParsedVrpFile {
  const json = parseJson(text);
  if (!json.ok) return refused("generic-json", json.issue);
  if (!Array.isArray(json.value)) return refused("generic-json", { line: 1, record: null, message: "expected a JSON array of {asn, prefix, maxLength}" });
  const quick = parseJsonRecords(text, json.value, undefined, "generic-json", defaultSource, lines);
  return (quick.issues.length && !lines ? parseJsonRecords(text, json.value, undefined, "generic-json", defaultSource) : quick).result("generic-json");
}

const BIRD2_ROUTE = /^route\s+(\S+)\s+max\s+(\S+)\s+as\s+(\S+?)\s*;$/;

/** Routinator's `--format bird2`: one `route PREFIX max LENGTH as ASN;` per line, no trust anchor. */
export function parseBird2(text: string, defaultSource = DEFAULT_IMPORT_SOURCE): ParsedVrpFile {
  const collector = new Collector();
  let record = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === "" || content.startsWith("#")) return;
    record++;
    const match = BIRD2_ROUTE.exec(content);
    if (!match) {
      collector.issue(line, record, 'expected "route PREFIX max LENGTH as ASN;"');
      return;
    }
    const parsed = parseVrpFields({ prefix: match[1], maxLength: match[2], asn: match[3] }, true);
    if (!parsed.ok) collector.issue(line, record, parsed.error);
    else collector.add({ prefix: parsed.prefix, maxLength: parsed.maxLength, asn: parsed.asn, source: defaultSource, line });
  });
  return collector.result("bird2");
}

/**
 * SLURM (RFC 8416, and version 2 with ASPA members): prefix filters drop matching VRPs from the
 * validator's output, prefix assertions add VRPs (source "slurm"). BGPsec and ASPA filters and
 * assertions are not used here: counted in warnings.
 */
export function parseSlurm(text: string): ParsedVrpFile {
  const json = parseJson(text);
  if (!json.ok) return refused("slurm", json.issue);
  const value = json.value;
  if (!isObject(value) || (value.slurmVersion !== 1 && value.slurmVersion !== 2)) return refused("slurm", { line: 1, record: null, message: 'expected a SLURM file with "slurmVersion": 1 or 2' });
  const collector = new Collector();
  const filters: SlurmFilter[] = [];
  const outputFilters = isObject(value.validationOutputFilters) ? value.validationOutputFilters : null;
  const assertions = isObject(value.locallyAddedAssertions) ? value.locallyAddedAssertions : null;
  if (!outputFilters || !Array.isArray(outputFilters.prefixFilters) || !assertions || !Array.isArray(assertions.prefixAssertions)) {
    return refused("slurm", { line: 1, record: null, message: "SLURM needs validationOutputFilters.prefixFilters and locallyAddedAssertions.prefixAssertions (RFC 8416 section 3.2)" });
  }
  collector.ignored(lengthOf(outputFilters.bgpsecFilters) + lengthOf(assertions.bgpsecAssertions), "BGPsec filters and assertions");
  collector.ignored(lengthOf(outputFilters.aspaFilters) + lengthOf(assertions.aspaAssertions), "ASPA filters and assertions");
  const filterOffsets = nestedOffsets(text, "prefixFilters", outputFilters.prefixFilters.length);
  outputFilters.prefixFilters.forEach((item: unknown, index: number) => {
    const line = filterOffsets[index] ?? null;
    const record = index + 1;
    const where = `prefix filter ${record}`;
    if (!isObject(item) || (item.prefix === undefined && item.asn === undefined)) {
      collector.issue(line, record, `${where} needs a prefix, an asn, or both`);
      return;
    }
    let prefix: string | null = null;
    let asn: number | null = null;
    if (item.prefix !== undefined) {
      const parsed = typeof item.prefix === "string" ? parseCidr(item.prefix) : null;
      if (!parsed?.ok) {
        collector.issue(line, record, `${where}: ${parsed && !parsed.ok ? parsed.error : "prefix is not a string"}`);
        return;
      }
      prefix = parsed.cidr.text;
    }
    if (item.asn !== undefined) {
      const parsed = parseVrpAsn(item.asn);
      if (!parsed.ok) {
        collector.issue(line, record, `${where}: ${parsed.error}`);
        return;
      }
      asn = parsed.asn;
    }
    filters.push({ prefix, asn, comment: typeof item.comment === "string" ? item.comment : "" });
  });
  const assertionOffsets = nestedOffsets(text, "prefixAssertions", assertions.prefixAssertions.length);
  assertions.prefixAssertions.forEach((item: unknown, index: number) => {
    const line = assertionOffsets[index] ?? null;
    const record = index + 1;
    if (!isObject(item)) {
      collector.issue(line, record, `prefix assertion ${record} is not an object`);
      return;
    }
    const parsed = parseVrpFields({ asn: item.asn, prefix: item.prefix, maxLength: item.maxPrefixLength }, false);
    if (!parsed.ok) {
      collector.issue(line, record, `prefix assertion ${record}: ${parsed.error}`);
      return;
    }
    collector.add({ prefix: parsed.prefix, maxLength: parsed.maxLength, asn: parsed.asn, source: "slurm", line });
  });
  return collector.result("slurm", filters);
}

/** Lines of the elements of the first array under `key` at or after `from`, one level down (in a SLURM file, or rpki-client's provider_authorizations). */
function nestedOffsets(text: string, key: string, count: number, from = 0): (number | null)[] {
  const pattern = new RegExp(`"${key}"\\s*:\\s*\\[`, "g");
  pattern.lastIndex = from;
  const at = pattern.exec(text)?.index ?? -1;
  if (at < 0) return [];
  const start = text.indexOf("[", at);
  // Scan the array on its own, as a top-level array, and shift the offsets back.
  const depthEnd = matchingBracket(text, start);
  const offsets = arrayElementOffsets(text.slice(start, depthEnd + 1)).map((offset) => offset + start);
  return offsets.length === count ? linesAt(text, offsets) : [];
}

function matchingBracket(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length - 1;
}

/** The format of a file from its first non-blank character and top-level keys. */
export function detectVrpFormat(text: string): VrpFormat {
  const start = text.trimStart();
  if (start.startsWith("[")) return "generic-json";
  if (start.startsWith("{")) return /"slurmVersion"\s*:/.test(text.slice(0, 4096)) || /"slurmVersion"\s*:/.test(text) ? "slurm" : "routinator-json";
  if (start.startsWith("route ")) return "bird2";
  return "routinator-csv";
}

/** `lines: false` leaves good JSON records without a line number (bad ones always get theirs): faster on big files. */
export function parseVrpFile(text: string, options: { format?: VrpFormat; defaultSource?: string; lines?: boolean } = {}): ParsedVrpFile {
  const lines = options.lines ?? true;
  const format = options.format ?? detectVrpFormat(text);
  const source = options.defaultSource ?? DEFAULT_IMPORT_SOURCE;
  switch (format) {
    case "routinator-csv":
      return parseRoutinatorCsv(text, source);
    case "routinator-json":
      return parseRoutinatorJson(text, source, lines);
    case "generic-json":
      return parseGenericJson(text, source, lines);
    case "slurm":
      return parseSlurm(text);
    case "bird2":
      return parseBird2(text, source);
  }
}

export function describeIssue(issue: ParseIssue): string {
  const where = issue.line !== null ? `line ${issue.line}` : issue.record !== null ? `record ${issue.record}` : "file";
  return `${where}: ${issue.message}`;
}
