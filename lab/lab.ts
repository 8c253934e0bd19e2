// Builds and tears down the BGP lab: network namespaces, veths, BIRD on every router and PoP,
// the real agent (bird driver) and a DNS responder in each PoP, probes in each client network,
// and a reporter that posts the probes' results to the console. See lab/README.md.
//
// Everything started is recorded in a PID file under the run folder and stopped by it, never
// by process name; every namespace and interface is named `ctm<instance>-...` and only those
// are removed.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderIncludeFile } from "../agent/speakers/bird";
import { buildNetwork, existingNamespaces, namespaces, removeNetwork } from "./network";
import { readClientResults } from "./observe";
import { allRunning, ourProcesses, REPO, startBird, startProcess, stopProcesses, waitFor } from "./processes";
import { AGENT_PORT, ANYCAST_ADDRESS, ANYCAST_PREFIX, CLIENTS, LAB_ASN, POPS, TRANSITS, addresses, agentUrl, labNames, popBirdConfig, transitBirdConfig, type LabPop } from "./topology";

export type LabOptions = {
  /** 0-9: several labs can run side by side (npm run lab uses 0, the lab tests 1, the bench 2). */
  instance?: number;
  /** Where configs, sockets, PID files, logs and client results live. Default .data/lab-net/<instance>. */
  runDir?: string;
  /** How often each client queries the anycast address. */
  probeIntervalMs?: number;
  /** Extra fields merged into each PoP's agent config (e.g. healthChecks), by PoP. */
  agentConfig?: (pop: LabPop) => Record<string, unknown>;
  /** Where the reporter posts results; can be set later with setLabIngest(). */
  ingest?: LabIngest;
  /** Print progress lines. */
  log?: (line: string) => void;
};

export type LabIngest = { url: string; token: string };

export type LabInfo = {
  instance: number;
  runDir: string;
  secret: string;
  prefix: string;
  anycastAddress: string;
  asn: number;
  pops: Array<LabPop & { agentUrl: string; namespace: string; birdSocket: string; upstream: { name: string; peerAsn: number; peerAddress: string } }>;
  clients: Array<(typeof CLIENTS)[number] & { namespace: string; address: string; resultsFile: string }>;
};

export function defaultRunDir(instance: number): string {
  return path.join(REPO, ".data", "lab-net", String(instance));
}

/** Why the lab cannot run here, or null when it can (Linux, root, iproute2, BIRD). */
export function labUnavailableReason(): string | null {
  if (process.platform !== "linux") return "the lab needs Linux network namespaces";
  if (process.getuid?.() !== 0) return "the lab needs root (network namespaces, veths)";
  if (spawnSync("ip", ["-V"]).error) return "iproute2 (`ip`) is not installed";
  if (spawnSync("bird", ["--version"]).error) return "BIRD 2 is not installed (apt-get install -y bird2)";
  const probe = `ctm-probe-${process.pid}`;
  const made = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (made.status !== 0) return `cannot create a network namespace here: ${made.stderr.trim()}`;
  spawnSync("ip", ["netns", "del", probe]);
  return null;
}

function labInfo(instance: number, runDir: string, secret: string): LabInfo {
  const names = labNames(instance);
  return {
    instance,
    runDir,
    secret,
    prefix: ANYCAST_PREFIX,
    anycastAddress: ANYCAST_ADDRESS,
    asn: LAB_ASN,
    pops: POPS.map((pop) => ({
      ...pop,
      agentUrl: agentUrl(instance, pop.index),
      namespace: names.popNs(pop.index),
      birdSocket: path.join(runDir, `pop${pop.index}`, "bird.ctl"),
      upstream: { name: `transit_t${pop.transit}`, peerAsn: 64600 + pop.transit, peerAddress: addresses.popTransitSide(pop.index) },
    })),
    clients: CLIENTS.map((client) => ({
      ...client,
      namespace: names.clientNs(client.index),
      address: addresses.client(client.index),
      resultsFile: path.join(runDir, "clients", `c${client.index}.jsonl`),
    })),
  };
}

/** Reads a running (or last started) lab's description from its run folder. */
export function readLabInfo(runDir: string): LabInfo {
  return JSON.parse(readFileSync(path.join(runDir, "lab.json"), "utf8")) as LabInfo;
}

// ---- up --------------------------------------------------------------------------------------

function writeConfigs(info: LabInfo, options: LabOptions): void {
  const { runDir, instance } = info;
  for (const t of TRANSITS) {
    const dir = path.join(runDir, `t${t}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "bird.conf"), transitBirdConfig(instance, t));
  }
  for (const pop of info.pops) {
    const dir = path.join(runDir, `pop${pop.index}`);
    mkdirSync(dir, { recursive: true });
    const include = path.join(dir, "catchment.conf");
    // BIRD needs the agent's file to exist at boot; the agent rewrites it from its state at start.
    writeFileSync(include, renderIncludeFile(new Map([[ANYCAST_PREFIX, { state: "announced", prepend: 0, communities: [] }]]), LAB_ASN));
    writeFileSync(path.join(dir, "bird.conf"), popBirdConfig(pop, include));
    const agentConfig = {
      pop: pop.code,
      listen: { host: labNames(instance).mgmtPop(pop.index), port: AGENT_PORT },
      secretFile: path.join(runDir, "agent.secret"),
      stateFile: path.join(runDir, "agent-state", `${pop.code.toLowerCase()}.json`),
      prefixes: [{ prefix: ANYCAST_PREFIX }],
      speaker: { driver: "bird", socket: pop.birdSocket, includeFile: include, asn: LAB_ASN },
      maintenanceFile: path.join(dir, "maintenance"),
      ...options.agentConfig?.(pop),
    };
    writeFileSync(path.join(dir, "agent.json"), `${JSON.stringify(agentConfig, null, 2)}\n`);
  }
}

export function setLabIngest(runDir: string, ingest: LabIngest | null): void {
  const file = path.join(runDir, "ingest.json");
  if (ingest === null) rmSync(file, { force: true });
  else writeFileSync(file, JSON.stringify(ingest), { mode: 0o600 });
}

function isUp(instance: number, runDir: string): boolean {
  if (!existsSync(path.join(runDir, "lab.json"))) return false;
  const present = existingNamespaces();
  if (!namespaces(instance).every((ns) => present.has(ns))) return false;
  // BIRD on every router and PoP, an agent and a responder per PoP, a prober per client, the reporter.
  return allRunning(runDir, TRANSITS.length + POPS.length * 3 + CLIENTS.length + 1);
}

/**
 * Brings the lab up and waits until every client gets answers. Idempotent: a lab already fully
 * up is left as it is; a half-up one is torn down and built again.
 */
export async function startLab(options: LabOptions = {}): Promise<LabInfo> {
  const instance = options.instance ?? 0;
  const runDir = path.resolve(options.runDir ?? defaultRunDir(instance));
  const log = options.log ?? (() => {});
  const reason = labUnavailableReason();
  if (reason) throw new Error(`lab: ${reason}`);
  if (isUp(instance, runDir)) {
    log(`lab ${instance}: already up (${runDir})`);
    if (options.ingest) setLabIngest(runDir, options.ingest);
    return readLabInfo(runDir);
  }
  await stopLab({ instance, runDir });
  const started = Date.now();

  for (const dir of ["pids", "logs", "clients", "agent-state"]) mkdirSync(path.join(runDir, dir), { recursive: true });
  const socketLength = path.join(runDir, "pop1", "bird.ctl").length;
  if (socketLength > 100) throw new Error(`lab: run folder path too long for a Unix socket (${runDir}); set runDir to a shorter path`);
  const secretFile = path.join(runDir, "agent.secret");
  if (!existsSync(secretFile)) writeFileSync(secretFile, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
  const info = labInfo(instance, runDir, readFileSync(secretFile, "utf8").trim());
  writeConfigs(info, options);
  if (options.ingest) setLabIngest(runDir, options.ingest);

  buildNetwork(instance);
  const phase = (what: string) => log(`lab ${instance}: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  phase("network built");
  for (const t of TRANSITS) startBird(runDir, `bird-t${t}`, labNames(instance).transitNs(t), path.join(runDir, `t${t}`));
  for (const pop of info.pops) startBird(runDir, `bird-pop${pop.index}`, pop.namespace, path.join(runDir, `pop${pop.index}`));
  for (const pop of info.pops) {
    startProcess(runDir, `responder-pop${pop.index}`, [process.execPath, path.join(REPO, "lab", "responder.mjs"), "--address", ANYCAST_ADDRESS, "--identity", pop.identity, "--run-dir", runDir], pop.namespace);
    startProcess(
      runDir,
      `agent-pop${pop.index}`,
      [process.execPath, "--import", "tsx", path.join(REPO, "agent", "main.ts"), "--config", path.join(runDir, `pop${pop.index}`, "agent.json")],
      pop.namespace,
    );
  }
  const interval = String(options.probeIntervalMs ?? 500);
  for (const client of info.clients) {
    startProcess(
      runDir,
      `probe-c${client.index}`,
      [process.execPath, path.join(REPO, "lab", "prober.mjs"), "--target", ANYCAST_ADDRESS, "--out", client.resultsFile, "--interval", interval],
      client.namespace,
    );
  }
  writeFileSync(path.join(runDir, "lab.json"), `${JSON.stringify(info, null, 2)}\n`);
  startProcess(runDir, "reporter", [process.execPath, path.join(REPO, "lab", "reporter.mjs"), "--run-dir", runDir]);

  phase("processes started");
  await waitFor(
    "the PoP agents",
    async () => (await Promise.all(info.pops.map((pop) => fetch(`${pop.agentUrl}/v1/openapi`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false)))).every(Boolean),
    60_000,
  );
  phase("agents listening");
  const since = Date.now();
  await waitFor("every client to get an answer", () => info.clients.every((client) => readClientResults(info, client.index, since).some((result) => result.answer !== null)), 30_000);
  log(`lab ${instance}: up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${TRANSITS.length} transits, ${POPS.length} PoPs, ${CLIENTS.length} clients (${runDir})`);
  return info;
}

// ---- down ------------------------------------------------------------------------------------

/** Stops every process by its PID file, removes the lab's namespaces and links. Safe to repeat. */
export async function stopLab(options: { instance?: number; runDir?: string; log?: (line: string) => void } = {}): Promise<void> {
  const instance = options.instance ?? 0;
  const runDir = path.resolve(options.runDir ?? defaultRunDir(instance));
  const started = Date.now();
  await stopProcesses(runDir);
  await removeNetwork(instance);
  rmSync(path.join(runDir, "clients"), { recursive: true, force: true });
  rmSync(path.join(runDir, "lab.json"), { force: true });
  options.log?.(`lab ${instance}: down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Lab processes and namespaces still present: both empty after stopLab. */
export function labLeftovers(instance: number, runDir = defaultRunDir(instance)): { processes: number[]; namespaces: string[] } {
  const present = existingNamespaces();
  return { processes: ourProcesses(path.resolve(runDir)), namespaces: namespaces(instance).filter((ns) => present.has(ns)) };
}
