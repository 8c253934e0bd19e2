import type { BgpSessionState } from "@/lib/agent-protocol/schemas";

/** Parsers for `birdc` output (BIRD 2.0.x). Pure: unit-tested on captured output in fixtures/. */

export type BirdProtocol = {
  name: string;
  proto: string;
  table: string;
  /** BIRD's protocol state: up, down, start, stop. */
  state: string;
  /** The "Since" column as printed (BIRD's `timeformat protocol`). */
  since: string;
  info: string;
  /** BGP only: the FSM state from "BGP state:" (Established, Active, Down...). */
  bgpState: string | null;
  neighborAddress: string | null;
  neighborAs: number | null;
  localAs: number | null;
  lastError: string | null;
  /** Sums over the protocol's channels ("Routes: 1 imported, 2 exported, ..."). */
  imported: number | null;
  exported: number | null;
};

const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d(?:\.\d+)?`;
const PROTOCOL_LINE = new RegExp(String.raw`^(\S+)\s+(\S+)\s+(\S+)\s+(up|down|start|stop|flush)\s+(${TIME})\s*(.*)$`);

/** Drops BIRD's "BIRD 2.0.12 ready." banner and the table header. */
function bodyLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => !/^BIRD [\d.]+ ready\.$/.test(line) && !/^Name\s+Proto\s+Table\s+State\s+Since/.test(line));
}

/** `birdc show protocols [all]`. */
export function parseProtocols(text: string): BirdProtocol[] {
  const protocols: BirdProtocol[] = [];
  let current: BirdProtocol | null = null;
  for (const line of bodyLines(text)) {
    const head = PROTOCOL_LINE.exec(line);
    if (head) {
      current = {
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
      protocols.push(current);
      continue;
    }
    if (!current || !/^\s/.test(line)) continue;
    const field = /^\s+([A-Za-z][A-Za-z0-9 ]*?):\s+(.*)$/.exec(line);
    if (!field) continue;
    const [, key, value] = field as unknown as [string, string, string];
    switch (key) {
      case "BGP state":
        current.bgpState = value.trim();
        break;
      case "Neighbor address":
        current.neighborAddress = value.trim();
        break;
      case "Neighbor AS":
        current.neighborAs = Number(value.trim());
        break;
      case "Local AS":
        current.localAs = Number(value.trim());
        break;
      case "Last error":
        current.lastError = value.trim();
        break;
      case "Routes": {
        const routes = /(\d+) imported, (?:(\d+) filtered, )?(\d+) exported/.exec(value);
        if (routes) {
          current.imported = (current.imported ?? 0) + Number(routes[1]);
          current.exported = (current.exported ?? 0) + Number(routes[3]);
        }
        break;
      }
    }
  }
  return protocols;
}

const BGP_STATES: Record<string, BgpSessionState> = {
  idle: "idle",
  down: "idle",
  connect: "connect",
  active: "active",
  opensent: "opensent",
  openconfirm: "openconfirm",
  established: "established",
};

/** BIRD's "BGP state:" value as the agent protocol's session state; a disabled or shut-down session is idle. */
export function sessionState(protocol: BirdProtocol): BgpSessionState {
  if (protocol.state === "down") return "idle";
  return BGP_STATES[(protocol.bgpState ?? "").toLowerCase()] ?? "idle";
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

export type BirdRoute = {
  prefix: string;
  /** The protocol the route came from, e.g. the static protocol of an anycast prefix. */
  fromProtocol: string;
  asPath: number[];
  /** Standard communities as "asn:value" and large ones as "a:b:c". */
  communities: string[];
};

/** `birdc show route [export PROTOCOL] all`: one entry per route (the first, best, line of each network). */
export function parseRoutes(text: string): BirdRoute[] {
  const routes: BirdRoute[] = [];
  let current: BirdRoute | null = null;
  let lastPrefix: string | null = null;
  for (const line of bodyLines(text)) {
    if (/^Table /.test(line)) continue;
    const network = /^(\S+\/\d+)\s+[^[]*\[(\S+?)[\s\]]/.exec(line);
    const alternative = /^\s{10,}[^\s[][^[]*\[(\S+?)[\s\]]/.exec(line);
    if (network || (alternative && lastPrefix)) {
      const prefix: string = network ? network[1]! : lastPrefix!;
      lastPrefix = prefix;
      current = network ? { prefix, fromProtocol: network[2]!, asPath: [], communities: [] } : null;
      if (current) routes.push(current);
      continue;
    }
    if (!current) continue;
    const attribute = /^\s+BGP\.(\w+):\s*(.*)$/.exec(line);
    if (!attribute) continue;
    const [, name, value] = attribute as unknown as [string, string, string];
    if (name === "as_path") current.asPath = value.split(/\s+/).filter(Boolean).map(Number).filter(Number.isFinite);
    else if (name === "community") {
      for (const pair of value.matchAll(/\((\d+),\s*(\d+)\)/g)) current.communities.push(`${pair[1]}:${pair[2]}`);
    } else if (name === "large_community") {
      for (const triple of value.matchAll(/\((\d+),\s*(\d+),\s*(\d+)\)/g)) current.communities.push(`${triple[1]}:${triple[2]}:${triple[3]}`);
    }
  }
  return routes;
}

/** birdc's answer to `configure`: null when BIRD took the new config, else BIRD's message. */
export function configureRejection(output: string): string | null {
  const lines = bodyLines(output).map((line) => line.trim()).filter(Boolean);
  if (lines.some((line) => /^Reconfigur(ed|ation in progress|ation already in progress)/.test(line))) return null;
  const message = lines.filter((line) => !/^Reading configuration from/.test(line)).join("; ");
  return message || "BIRD gave no answer to configure";
}
