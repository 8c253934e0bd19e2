import type { BgpSessionState } from "@/lib/agent-protocol/schemas";

/**
 * Parsers for `birdc` output, BIRD 2 (2.0.12 and later) and BIRD 3. Pure: unit-tested on output
 * captured here (fixtures/) and on other tools' recorded output (../shared/fixtures/bird).
 * Output is read as BIRD writes it: a line that cannot be read is counted in a warning and the
 * rest is still read. Only BIRD 1's route listing, a different format, is refused.
 */

// ---------------------------------------------------------------------------------------------
// Lines every command shares

const BANNER = /^BIRD v?(\S+) ready\.$/;

/** The version from birdc's "BIRD 2.0.12 ready." banner (git builds print "v2.0.9-11-g207ac485"). */
function bannerVersion(lines: string[]): string | null {
  for (const line of lines) {
    const banner = BANNER.exec(line.trim());
    if (banner) return banner[1]!;
  }
  return null;
}

/** Drops the banner and the "Access restricted" notice birdc prints for a read-only socket. */
function bodyLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => !BANNER.test(line.trim()) && line.trim() !== "Access restricted");
}

// ---------------------------------------------------------------------------------------------
// show protocols [all]

export type BirdProtocol = {
  name: string;
  proto: string;
  table: string;
  /** BIRD's protocol state: up, down, start, stop. */
  state: string;
  /** The "Since" column as printed (BIRD's `timeformat protocol`). */
  since: string;
  info: string;
  /** BGP with `all` only: the FSM state from "BGP state:" (Established, Active, Passive...). */
  bgpState: string | null;
  neighborAddress: string | null;
  neighborAs: number | null;
  localAs: number | null;
  lastError: string | null;
  /** Sums over the protocol's channels ("Routes: 1 imported, 2 exported, ..."). */
  imported: number | null;
  exported: number | null;
};

export type BirdProtocols = {
  /** From the banner, when birdc printed one. */
  version: string | null;
  protocols: BirdProtocol[];
  /** Lines that could not be read, one message each. */
  warnings: string[];
};

const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d(?:\.\d+)?`;
const PROTOCOL_LINE = new RegExp(String.raw`^(\S+)\s+(\S+)\s+(\S+)\s+(up|down|start|stop|flush)\s+(${TIME})\s*(.*)$`);
// BIRD 2 and 3 print "Name Proto Table...", BIRD 1 "name proto table...".
const PROTOCOL_HEADER = /^Name\s+Proto\s+Table\s+State\s+Since/i;
const FIELD = /^\s+([A-Za-z][A-Za-z0-9 ]*?):\s+(.*)$/;

function newProtocol(head: RegExpExecArray): BirdProtocol {
  return {
    name: head[1]!,
    proto: head[2]!,
    table: head[3]!,
    state: head[4]!,
    since: head[5]!,
    info: head[6]!.trim(),
    bgpState: null,
    neighborAddress: null,
    neighborAs: null,
    localAs: null,
    lastError: null,
    imported: null,
    exported: null,
  };
}

/** Applies one "Key: value" line of `show protocols all` to its protocol. */
function applyProtocolField(protocol: BirdProtocol, key: string, value: string): void {
  switch (key) {
    case "BGP state":
      protocol.bgpState = value.trim();
      break;
    case "Neighbor address":
      protocol.neighborAddress = value.trim();
      break;
    case "Neighbor AS":
      protocol.neighborAs = Number(value.trim());
      break;
    case "Local AS":
      protocol.localAs = Number(value.trim());
      break;
    case "Last error":
      protocol.lastError = value.trim();
      break;
    case "Routes": {
      const routes = /(\d+) imported, (?:(\d+) filtered, )?(\d+) exported/.exec(value);
      if (routes) {
        protocol.imported = (protocol.imported ?? 0) + Number(routes[1]);
        protocol.exported = (protocol.exported ?? 0) + Number(routes[3]);
      }
      break;
    }
  }
}

/**
 * `birdc show protocols` and `show protocols all`. The columns are the same in BIRD 1, 2 and 3,
 * so BIRD 1's list is read too. A protocol line that cannot be read is a warning, and the
 * indented lines under it are skipped rather than given to the protocol above it.
 */
export function parseProtocols(text: string): BirdProtocols {
  const lines = text.split(/\r?\n/);
  const protocols: BirdProtocol[] = [];
  const warnings: string[] = [];
  let current: BirdProtocol | null = null;
  for (const line of bodyLines(text)) {
    if (line.trim() === "" || PROTOCOL_HEADER.test(line)) continue;
    if (!/^\s/.test(line)) {
      const head = PROTOCOL_LINE.exec(line);
      current = head ? newProtocol(head) : null;
      if (current) protocols.push(current);
      else warnings.push(`not a protocol line (skipped with its details): ${line.trim()}`);
      continue;
    }
    const field = FIELD.exec(line);
    if (current && field) applyProtocolField(current, field[1]!, field[2]!);
  }
  return { version: bannerVersion(lines), protocols, warnings };
}

const BGP_STATES: Record<string, BgpSessionState> = {
  idle: "idle",
  down: "idle",
  // BIRD's "Close": the session is being torn down.
  close: "idle",
  connect: "connect",
  active: "active",
  // BIRD's "Passive": waiting for the neighbour to connect, which RFC 4271 (8.2.2, passive TCP
  // establishment) calls Active.
  passive: "active",
  opensent: "opensent",
  openconfirm: "openconfirm",
  established: "established",
};

/**
 * A BGP protocol's session state. `show protocols all` gives it in "BGP state:"; the short
 * `show protocols` only in the Info column ("Established", "Active  Received: ...",
 * "Passive  Error: Neighbor lost"), whose first word is the same state. A disabled or shut-down
 * session is idle.
 */
export function sessionState(protocol: BirdProtocol): BgpSessionState {
  if (protocol.state === "down") return "idle";
  const fsm = protocol.bgpState ?? protocol.info.split(/\s+/)[0] ?? "";
  return BGP_STATES[fsm.toLowerCase()] ?? "idle";
}

/**
 * BIRD's "Since" column as a Date. A bare time of day (BIRD's default format for today) is
 * read as today in local time, or yesterday if that would be in the future.
 */
export function parseSince(since: string, now: Date = new Date()): Date | null {
  let match = /^(\d{4})-(\d\d)-(\d\d)(?: (\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?$/.exec(since);
  if (match) {
    const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "0"] = match;
    return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, "0").slice(0, 3)));
  }
  match = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(since);
  if (!match) return null;
  const [, h, mi, s, frac = "0"] = match;
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, "0").slice(0, 3)));
  if (date.getTime() > now.getTime() + 60_000) date.setDate(date.getDate() - 1);
  return date;
}

// ---------------------------------------------------------------------------------------------
// show status

export type BirdStatus = {
  /** "2.0.12", "3.0.1", "2.0.9-11-g207ac485" (a git build). */
  version: string | null;
  routerId: string | null;
  hostname: string | null;
  /** Times as BIRD prints them (its `timeformat base`). */
  serverTime: string | null;
  lastReboot: string | null;
  lastReconfiguration: string | null;
  /** "running" also while a reconfiguration is in progress: BIRD answers and routes meanwhile. */
  daemon: "running" | "shutting down" | null;
};

/** `birdc show status`, the same in BIRD 1, 2 and 3. */
export function parseStatus(text: string): BirdStatus {
  const status: BirdStatus = { version: null, routerId: null, hostname: null, serverTime: null, lastReboot: null, lastReconfiguration: null, daemon: null };
  for (const raw of bodyLines(text)) {
    const line = raw.trim();
    let match: RegExpExecArray | null;
    if ((match = /^BIRD v?(\S+)$/.exec(line))) status.version = match[1]!;
    else if ((match = /^Router ID is (\S+)$/.exec(line))) status.routerId = match[1]!;
    else if ((match = /^Hostname is (\S+)$/.exec(line))) status.hostname = match[1]!;
    else if ((match = /^Current server time is (.+)$/.exec(line))) status.serverTime = match[1]!;
    else if ((match = /^Last reboot on (.+)$/.exec(line))) status.lastReboot = match[1]!;
    else if ((match = /^Last reconfiguration on (.+)$/.exec(line))) status.lastReconfiguration = match[1]!;
    else if (/^(Daemon is up and running|Reconfiguration in progress)/.test(line)) status.daemon = "running";
    else if (/^Shutdown in progress/.test(line)) status.daemon = "shutting down";
  }
  return status;
}

/** Why the agent cannot drive this BIRD, or null when it can (BIRD 2 and 3; the driver's config is BIRD 2 syntax). */
export function unsupportedBirdVersion(version: string | null): string | null {
  if (version === null || !/^1\./.test(version)) return null;
  return `BIRD ${version} is not supported: the agent drives BIRD 2 (2.0.12 or later) or BIRD 3`;
}

// ---------------------------------------------------------------------------------------------
// show route [export PROTOCOL] all

/** One path of a prefix, as `show route all` prints it. */
export type BirdPath = {
  /** The protocol the path came from: the static protocol of an anycast prefix, or a BGP session. */
  fromProtocol: string;
  /** BIRD's best path for the prefix: marked `*`, or `!` when it is best but out of sync with the kernel. */
  best: boolean;
  /** What BIRD prints before the brackets: unicast, blackhole, unreachable... */
  kind: string;
  /** The route preference, "(100)" or "(100/38)" after the brackets. */
  preference: number | null;
  asPath: number[];
  /** Standard communities as "asn:value", then large ones as "a:b:c" (the agent protocol's notation). */
  communities: string[];
  /** BGP next hop as printed; IPv6 may carry two (":: fe80::1", global then link-local). */
  nextHop: string | null;
  localPref: number | null;
  med: number | null;
};

export type BirdPrefix = {
  prefix: string;
  /** From the "Table master4:" line above it. */
  table: string | null;
  /** In BIRD's order; BIRD prints its best path first. */
  paths: BirdPath[];
};

export type BirdRoutes =
  | { ok: true; version: string | null; prefixes: BirdPrefix[]; warnings: string[] }
  | { ok: false; reason: string };

// "192.0.2.0/24         unicast [up1 21:57:20.775 from 127.0.0.2] * (100) [AS64601i]"; later
// paths of the same prefix leave the prefix column blank.
const PATH_LINE = /^(\S+(?: mpls \d+)?)?\s+(?:([a-z-]+) )?\[([^\s\]]+)(?: [^\]]*)?\]( [*!])?(.*)$/;
// BIRD 1 puts the next hop on the route line: "16.0.0.0/24  via 1.2.3.16 on eno7 [proto ...]".
const BIRD1_PATH_LINE = /^(\S+)?\s+(?:via \S+ on \S+|dev \S+)[^[]*\[\S+/;
// "\tBGP.as_path: 64500" (BIRD 2), "\tbgp_path: 64500" (BIRD 3), "\tInternal route handling values: ...".
const ATTRIBUTE_LINE = /^\s+([A-Za-z][\w. ]*?):(?:\s+(.*))?$/;
const NEXT_HOP_LINE = /^\s+(?:via \S+ on \S+|dev \S+)/;

type PathAttribute = "asPath" | "communities" | "largeCommunities" | "nextHop" | "localPref" | "med";

/** BIRD 2 prints BGP attributes as `BGP.x`, BIRD 3 under their filter names. */
const ATTRIBUTE_NAMES: Record<string, PathAttribute> = {
  "BGP.as_path": "asPath",
  bgp_path: "asPath",
  "BGP.community": "communities",
  bgp_community: "communities",
  "BGP.large_community": "largeCommunities",
  bgp_large_community: "largeCommunities",
  "BGP.next_hop": "nextHop",
  bgp_next_hop: "nextHop",
  "BGP.local_pref": "localPref",
  bgp_local_pref: "localPref",
  "BGP.med": "med",
  bgp_med: "med",
};

/** A path being read: its line, then the raw values of the attributes we read. */
type PathDraft = { prefix: BirdPrefix; path: BirdPath; raw: Partial<Record<PathAttribute, string>> };

function bird1Refusal(line: string): string {
  return (
    `this is BIRD 1 output (the next hop is on the route line: "${line.trim().slice(0, 70)}"). ` +
    "Catchment reads BIRD 2 (2.0.12 or later) and BIRD 3, whose `show route all` prints the next hop on its own line; BIRD 1 is not supported"
  );
}

/** `show route all`, read line by line: which table, which path, which attribute a line continues. */
class RouteReader {
  readonly prefixes: BirdPrefix[] = [];
  readonly warnings: string[] = [];
  private table: string | null = null;
  private draft: PathDraft | null = null;
  /** What an indented continuation line adds to: an attribute we read, one we ignore, or nothing. */
  private continues: PathAttribute | "ignored" | null = null;
  /** After a route line that could not be read: its indented lines go with it, in its one warning. */
  private skipping = false;

  read(line: string): void {
    const table = /^Table (\S+):$/.exec(line);
    if (table) return this.startTable(table[1]!);
    const attribute = ATTRIBUTE_LINE.exec(line);
    if (attribute) return this.attribute(attribute[1]!, attribute[2] ?? "", line);
    const path = PATH_LINE.exec(line);
    if (path) return this.path(path, line);
    if (NEXT_HOP_LINE.test(line)) {
      this.continues = null;
      return;
    }
    // "\t\t(65101,11077) (65102,11000)": BIRD wraps a long community list.
    if (/^\s/.test(line) && (this.continues || this.skipping)) {
      if (this.draft && this.continues && this.continues !== "ignored") this.draft.raw[this.continues] += ` ${line.trim()}`;
      return;
    }
    this.unreadable(line);
  }

  /** Ends the last path; call once after the last line. */
  finish(): void {
    if (this.draft) finishPath(this.draft, this.warnings);
    this.draft = null;
    this.continues = null;
  }

  private startTable(name: string): void {
    this.finish();
    this.skipping = false;
    this.table = name;
  }

  private attribute(name: string, value: string, line: string): void {
    if (this.skipping) return;
    if (!this.draft) {
      this.warnings.push(`an attribute outside any route (skipped): ${line.trim()}`);
      return;
    }
    const known = ATTRIBUTE_NAMES[name];
    if (known) this.draft.raw[known] = value;
    this.continues = known ?? "ignored";
  }

  private path(match: RegExpExecArray, line: string): void {
    this.finish();
    this.skipping = false;
    const [, network, kind = "", fromProtocol, mark, info] = match as unknown as [string, string | undefined, string | undefined, string, string | undefined, string];
    const prefix = network ? this.startPrefix(network) : this.prefixes.at(-1);
    if (!prefix) {
      this.warnings.push(`a path before any prefix (skipped): ${line.trim()}`);
      this.skipping = true;
      return;
    }
    const preference = /\((\d+)/.exec(info);
    const path: BirdPath = {
      fromProtocol,
      best: mark !== undefined,
      kind,
      preference: preference ? Number(preference[1]) : null,
      asPath: [],
      communities: [],
      nextHop: null,
      localPref: null,
      med: null,
    };
    prefix.paths.push(path);
    this.draft = { prefix, path, raw: {} };
  }

  private startPrefix(network: string): BirdPrefix {
    if (this.prefixes.some((seen) => seen.prefix === network && seen.table === this.table)) {
      this.warnings.push(`${network} is listed twice${this.table ? ` in table ${this.table}` : ""}; both listings are kept`);
    }
    const prefix: BirdPrefix = { prefix: network, table: this.table, paths: [] };
    this.prefixes.push(prefix);
    return prefix;
  }

  /**
   * A line that is none of the above. At the margin (a flowspec route, BIRD's "Network not
   * found") it ends the path above, and the indented lines under it go with it; indented, it is
   * one line of the path being read.
   */
  private unreadable(line: string): void {
    if (/^\s/.test(line)) {
      this.warnings.push(`not a route attribute (skipped): ${line.trim()}`);
      return;
    }
    this.finish();
    this.skipping = true;
    this.warnings.push(`not a route line (skipped, with the lines under it): ${line.trim()}`);
  }
}

/**
 * `birdc show route [export PROTOCOL] [PREFIX] all`: every path of every prefix, the best one
 * marked. Reads BIRD 2's and BIRD 3's attribute names; long community lists that BIRD wraps onto
 * indented continuation lines are joined. BIRD 1's route format is refused with the reason.
 */
export function parseRoutes(text: string): BirdRoutes {
  const version = bannerVersion(text.split(/\r?\n/));
  const reader = new RouteReader();
  for (const line of bodyLines(text)) {
    if (line.trim() === "") continue;
    // Before the reader: BIRD 1's route line would otherwise pass for a BIRD 2 one.
    if (!ATTRIBUTE_LINE.test(line) && BIRD1_PATH_LINE.test(line)) return { ok: false, reason: bird1Refusal(line) };
    reader.read(line);
  }
  reader.finish();
  const warnings = [...reader.warnings];
  if (version && /^1\./.test(version)) {
    warnings.push(`the banner says BIRD ${version}, but the routes are in BIRD 2's form: read as BIRD 2`);
  }
  return { ok: true, version, prefixes: reader.prefixes, warnings };
}

/** Turns a path's raw attribute values into its fields; what cannot be read is a warning. */
function finishPath({ prefix, path, raw }: PathDraft, warnings: string[]): void {
  const where = `${prefix.prefix} via ${path.fromProtocol}`;
  if (raw.asPath !== undefined) path.asPath = readAsPath(raw.asPath, where, warnings);
  if (raw.communities !== undefined) path.communities.push(...readTuples(raw.communities, 2, "community", where, warnings));
  if (raw.largeCommunities !== undefined) path.communities.push(...readTuples(raw.largeCommunities, 3, "large community", where, warnings));
  if (raw.nextHop !== undefined) path.nextHop = raw.nextHop.trim() || null;
  if (raw.localPref !== undefined) path.localPref = readNumber(raw.localPref, "local preference", where, warnings);
  if (raw.med !== undefined) path.med = readNumber(raw.med, "MED", where, warnings);
}

/**
 * The AS path's ASNs in order. BIRD prints AS sets as "{...}" and confederation segments as
 * "(...)" or "[...]"; they are not hops the agent counts, so they are left out with a warning,
 * as is a path BIRD cut short ("...") because it was too long to print.
 */
function readAsPath(value: string, where: string, warnings: string[]): number[] {
  const sequence = value.replace(/\{[^}]*\}|\([^)]*\)|\[[^\]]*\]/g, " ");
  if (sequence !== value) warnings.push(`${where}: AS path "${value.trim()}" has AS sets or confederation segments; they are left out`);
  const asns: number[] = [];
  for (const token of sequence.split(/\s+/).filter(Boolean)) {
    if (/^\d+$/.test(token)) asns.push(Number(token));
    else warnings.push(`${where}: "${token}" in the AS path is not an ASN (BIRD shortens a long path with "...")`);
  }
  return asns;
}

/** "(64500,666) (64500,1)" or "(64500, 1, 2)": every tuple of the given size, as "a:b[:c]". */
function readTuples(value: string, size: 2 | 3, what: string, where: string, warnings: string[]): string[] {
  const tuple = size === 2 ? /\((\d+),\s*(\d+)\)/g : /\((\d+),\s*(\d+),\s*(\d+)\)/g;
  const read = [...value.matchAll(tuple)].map((match) => match.slice(1).join(":"));
  const rest = value.replace(tuple, "").trim();
  if (rest) warnings.push(`${where}: could not read "${rest}" as a ${what}`);
  return read;
}

function readNumber(value: string, what: string, where: string, warnings: string[]): number | null {
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  warnings.push(`${where}: ${what} "${value.trim()}" is not a number`);
  return null;
}

/** The prefix's best path, or null when BIRD does not list the prefix (or its output was refused). */
export function bestPath(routes: BirdRoutes, prefix: string): BirdPath | null {
  if (!routes.ok) return null;
  for (const listed of routes.prefixes) {
    if (listed.prefix !== prefix) continue;
    const best = listed.paths.find((path) => path.best);
    if (best) return best;
  }
  return null;
}

/** The path of a prefix learned from one protocol (e.g. one BGP session), or null. */
export function pathFrom(routes: BirdRoutes, prefix: string, fromProtocol: string): BirdPath | null {
  if (!routes.ok) return null;
  for (const listed of routes.prefixes) {
    if (listed.prefix !== prefix) continue;
    const path = listed.paths.find((candidate) => candidate.fromProtocol === fromProtocol);
    if (path) return path;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// configure

/** birdc's answer to `configure`: null when BIRD took the new config, else BIRD's message. */
export function configureRejection(output: string): string | null {
  const lines = bodyLines(output).map((line) => line.trim()).filter(Boolean);
  if (lines.some((line) => /^Reconfigur(ed|ation in progress|ation already in progress)/.test(line))) return null;
  const message = lines.filter((line) => !/^Reading configuration from/.test(line)).join("; ");
  return message || "BIRD gave no answer to configure";
}
