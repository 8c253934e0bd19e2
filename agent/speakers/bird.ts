import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ExportedRoute, SessionStatus } from "@/lib/agent-protocol/schemas";
import { parseCidr } from "@/lib/domain/cidr";
import { bestPath, configureRejection, parseProtocols, parseRoutes, parseSince, parseStatus, sessionState, unsupportedBirdVersion, type BirdProtocol, type BirdRoutes } from "./bird-parse";
import { SpeakerError, type RouteIntent, type Speaker, type SpeakerRoute, type SpeakerStatus } from "./speaker";

export type BirdSpeakerOptions = {
  /** BIRD's control socket (`bird -s`). */
  socket: string;
  /** The file the agent owns, included from bird.conf (see agent/README.md, "BIRD"). */
  includeFile: string;
  birdc?: string;
  /** The PoP's ASN, prepended when drained. Learned from BIRD's BGP protocols ("Local AS") when absent. */
  asn?: number;
  timeoutMs?: number;
};

/** The static protocol that carries one anycast prefix, e.g. `catchment_192_0_2_0_24`. */
export function staticProtocolName(prefix: string): string {
  return `catchment_${prefix.replace(/[^0-9A-Za-z]/g, "_")}`;
}

const STATE_MARKER = "# catchment-state: ";

/**
 * Renders the file the agent owns: one static protocol per prefix (disabled while withdrawn,
 * so that a `birdc configure` keeps it withdrawn) and `catchment_export()`, which the export
 * filter calls to prepend the PoP's ASN and add communities while a prefix is drained. The
 * intents are kept in a comment so an agent restart knows every prefix's state.
 */
export function renderIncludeFile(routes: ReadonlyMap<string, RouteIntent>, asn: number | null): string {
  const prefixes = [...routes.keys()].sort();
  const state = Object.fromEntries(prefixes.map((prefix) => [prefix, routes.get(prefix)]));
  const lines = [
    "# Written by the Catchment agent (bird driver): do not edit, it is rewritten on every change.",
    `${STATE_MARKER}${JSON.stringify(state)}`,
    "",
  ];
  for (const prefix of prefixes) {
    const intent = routes.get(prefix)!;
    const family = parseCidr(prefix);
    const channel = family.ok && family.cidr.family === 6 ? "ipv6" : "ipv4";
    lines.push(
      `protocol static ${staticProtocolName(prefix)} {`,
      `  ${channel};`,
      `  route ${prefix} blackhole;`,
      `  disabled ${intent.state === "withdrawn" ? "yes" : "no"};`,
      "}",
      "",
    );
  }
  lines.push("function catchment_export()", "{");
  for (const prefix of prefixes) {
    const intent = routes.get(prefix)!;
    if (intent.state !== "drained" || (intent.prepend === 0 && intent.communities.length === 0)) continue;
    lines.push(`  if net = ${prefix} then {`);
    if (intent.prepend > 0 && asn === null) throw new SpeakerError("rejected", "cannot prepend: the PoP's ASN is unknown (set speaker.asn, or give BIRD a BGP protocol)");
    for (let index = 0; index < intent.prepend; index += 1) lines.push(`    bgp_path.prepend(${asn});`);
    for (const community of intent.communities) {
      const parts = community.split(":");
      lines.push(parts.length === 3 ? `    bgp_large_community.add((${parts.join(",")}));` : `    bgp_community.add((${parts.join(",")}));`);
    }
    lines.push("  }");
  }
  lines.push("}", "");
  return lines.join("\n");
}

/** Reads the intents back from a file written by renderIncludeFile. */
export function parseIncludeState(text: string): Map<string, RouteIntent> {
  const line = text.split("\n").find((candidate) => candidate.startsWith(STATE_MARKER));
  if (!line) return new Map();
  const json = JSON.parse(line.slice(STATE_MARKER.length)) as Record<string, RouteIntent>;
  return new Map(Object.entries(json).map(([prefix, intent]) => [prefix, { state: intent.state, prepend: intent.prepend, communities: [...intent.communities] }]));
}

type BirdcResult = { stdout: string; stderr: string; code: number | null };

/**
 * The BIRD driver, for BIRD 2 (2.0.12 or later) and BIRD 3: the included file and the birdc
 * commands are the same for both (BIRD 3 only renames route attributes in `show route all`,
 * which bird-parse reads in both spellings). Announce/withdraw: the prefix's static protocol is
 * enabled or disabled. BIRD re-enables a protocol disabled only with `birdc disable` on the
 * next `birdc configure`, so the state is written into the included file (`disabled yes|no`)
 * and applied by `birdc configure`, which starts or stops just that static protocol. Drain: the
 * same file's `catchment_export()` prepends and adds communities; `configure` re-runs the export
 * filter without a session flap. A rejected config is rolled back (file restored, configure
 * again), so the previous state stays in force.
 */
export class BirdSpeaker implements Speaker {
  readonly driver = "bird" as const;
  private routes = new Map<string, RouteIntent>();
  private asn: number | null;
  private queue: Promise<unknown> = Promise.resolve();
  private lastSessions: SessionStatus[] = [];
  private downSince: Date | null = null;

  constructor(private readonly options: BirdSpeakerOptions) {
    this.asn = options.asn ?? null;
  }

  private birdcPath(): string {
    return this.options.birdc ?? "birdc";
  }

  private run(args: string[]): Promise<BirdcResult> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      execFile(this.birdcPath(), ["-s", this.options.socket, ...args], { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(
            new SpeakerError("unavailable", `birdc not found (${this.birdcPath()}): install BIRD 2.0.12 or later, or BIRD 3 (Debian: apt-get install bird2), or set speaker.birdc`),
          );
        }
        if (error && error.killed) return reject(new SpeakerError("timeout", `birdc ${args.join(" ")} did not answer within ${timeoutMs} ms`));
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        const unreachable = /Unable to connect to server control socket \(([^)]*)\): (.*)/.exec(`${stderr}\n${stdout}`);
        if (unreachable) {
          const reason = unreachable[2]!.trim();
          if (/No such file/i.test(reason)) {
            return reject(new SpeakerError("not_running", `BIRD's control socket ${this.options.socket} is gone (BIRD is not running?)`));
          }
          if (/refused/i.test(reason)) {
            return reject(new SpeakerError("not_running", `BIRD is not running: nothing answers on its control socket ${this.options.socket}`));
          }
          return reject(new SpeakerError("unavailable", `cannot reach BIRD on ${this.options.socket}: ${reason}`));
        }
        resolve({ stdout, stderr, code });
      });
    });
  }

  /** Serialises the read-modify-write of the shared include file across prefixes. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async start(): Promise<void> {
    const output = await this.run(["show", "status"]);
    // "Reconfiguration in progress" counts as running: BIRD keeps routing meanwhile, and BIRD 3
    // reconfigures its protocols asynchronously, so an agent may well start during one.
    const status = parseStatus(output.stdout);
    if (status.daemon !== "running") {
      throw new SpeakerError("not_running", `BIRD is not up: ${output.stdout.trim() || output.stderr.trim()}`);
    }
    const unsupported = unsupportedBirdVersion(status.version);
    if (unsupported) throw new SpeakerError("unavailable", unsupported);
    try {
      this.routes = parseIncludeState(await readFile(this.options.includeFile, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new SpeakerError("unavailable", `cannot read ${this.options.includeFile}: ${(error as Error).message}`);
      }
      this.routes = new Map();
    }
    if (this.asn === null) {
      const { protocols } = parseProtocols((await this.run(["show", "protocols", "all"])).stdout);
      this.asn = protocols.find((protocol) => protocol.localAs !== null)?.localAs ?? null;
    }
  }

  /** A real speaker keeps its routes when the agent stops. */
  async stop(): Promise<void> {}

  private async writeAtomic(content: string): Promise<void> {
    const file = this.options.includeFile;
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    await writeFile(temporary, content, { mode: 0o644 });
    await rename(temporary, file);
  }

  private async configure(): Promise<string | null> {
    const result = await this.run(["configure"]);
    return configureRejection(result.stdout + result.stderr);
  }

  apply(prefix: string, intent: RouteIntent): Promise<void> {
    return this.exclusive(async () => {
      // Fails fast (nothing touched) when BIRD is down or birdc is missing.
      await this.run(["show", "status"]);
      const next = new Map(this.routes);
      next.set(prefix, { state: intent.state, prepend: intent.state === "drained" ? intent.prepend : 0, communities: [...intent.communities] });
      const content = renderIncludeFile(next, this.asn);
      let previous: string | null;
      try {
        previous = await readFile(this.options.includeFile, "utf8");
      } catch {
        previous = null;
      }
      try {
        await this.writeAtomic(content);
      } catch (error) {
        throw new SpeakerError("unavailable", `cannot write ${this.options.includeFile}: ${(error as Error).message}`);
      }
      let rejection: string | null;
      try {
        rejection = await this.configure();
      } catch (error) {
        await this.restore(previous);
        throw error;
      }
      if (rejection !== null) {
        await this.restore(previous);
        await this.configure().catch(() => null);
        throw new SpeakerError("rejected", `BIRD rejected the new configuration (${rejection}); the previous configuration stays in force`);
      }
      this.routes = next;
    });
  }

  private async restore(previous: string | null): Promise<void> {
    if (previous === null) await rm(this.options.includeFile, { force: true });
    else await this.writeAtomic(previous);
  }

  async status(): Promise<SpeakerStatus> {
    let protocols: BirdProtocol[];
    try {
      protocols = parseProtocols((await this.run(["show", "protocols", "all"])).stdout).protocols;
    } catch (error) {
      if (!(error instanceof SpeakerError)) throw error;
      // The daemon is gone: its sessions are down, whatever they were.
      this.downSince ??= new Date();
      const since = this.downSince.toISOString();
      return {
        up: false,
        error: error.message,
        sessions: this.lastSessions.map((session) => ({ ...session, state: "idle", since, prefixesSent: 0, prefixesReceived: null })),
        routes: [],
      };
    }
    this.downSince = null;
    const bgp = protocols.filter((protocol) => protocol.proto === "BGP");
    // What the export filter sends each established session (one path per prefix, the exported
    // one, which BIRD marks best); BIRD 2 and 3 name its attributes differently, the parser reads both.
    const exportedBy = new Map<string, BirdRoutes>();
    for (const protocol of bgp.filter((candidate) => sessionState(candidate) === "established")) {
      exportedBy.set(protocol.name, parseRoutes((await this.run(["show", "route", "export", protocol.name, "all"])).stdout));
    }
    const sessions: SessionStatus[] = bgp.map((protocol) => ({
      name: protocol.name,
      peerAsn: protocol.neighborAs ?? 0,
      peerAddress: protocol.neighborAddress ?? "",
      state: sessionState(protocol),
      since: parseSince(protocol.since)?.toISOString() ?? null,
      prefixesSent: protocol.exported,
      prefixesReceived: protocol.imported,
      exports: exportsOf(protocol, exportedBy.get(protocol.name)),
    }));
    this.lastSessions = sessions.map((session) => ({ ...session, exports: null }));

    const exportedTo = bgp.find((protocol) => exportedBy.has(protocol.name)) ?? bgp[0];
    const exported = exportedTo ? (exportedBy.get(exportedTo.name) ?? parseRoutes((await this.run(["show", "route", "export", exportedTo.name, "all"])).stdout)) : null;
    const routes: SpeakerRoute[] = [...this.routes.keys()].sort().map((prefix) => {
      const staticProtocol = protocols.find((protocol) => protocol.name === staticProtocolName(prefix));
      const route = exported ? bestPath(exported, prefix) : null;
      if (!staticProtocol || staticProtocol.state !== "up") return { prefix, state: "withdrawn", prepend: 0, communities: [] };
      const prepend = route ? route.asPath.length : (this.routes.get(prefix)?.prepend ?? 0);
      const communities = route ? [...route.communities].sort() : [];
      return { prefix, state: prepend > 0 || communities.length > 0 ? "drained" : "announced", prepend, communities };
    });
    return { up: true, error: null, sessions, routes };
  }
}

/**
 * The routes a session receives, as the upstream sees them: `show route export` lists the
 * path after the export filter, before BGP itself puts the PoP's own ASN in front of it for an
 * external neighbour. Null when the session's exports were not read or BIRD's answer was refused.
 */
function exportsOf(protocol: BirdProtocol, routes: BirdRoutes | undefined): ExportedRoute[] | null {
  if (!routes?.ok) return null;
  const external = protocol.localAs !== null && protocol.neighborAs !== null && protocol.localAs !== protocol.neighborAs;
  return [...new Set(routes.prefixes.map(({ prefix }) => prefix))].sort().flatMap((prefix) => {
    const path = bestPath(routes, prefix);
    if (!path) return [];
    return [{ prefix, asPath: external ? [protocol.localAs!, ...path.asPath] : path.asPath, communities: [...path.communities].sort() }];
  });
}
