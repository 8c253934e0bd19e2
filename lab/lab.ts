// Builds and tears down the BGP lab: network namespaces, veths, BIRD on every router and PoP,
// the real agent (bird driver) and a DNS responder in each PoP, probes in each client network,
// and a reporter that posts the probes' results to the console. See lab/README.md.
//
// Everything started is recorded in a PID file under the run folder and stopped by it, never
// by process name; every namespace and interface is named `ctm<instance>-...` and only those
// are removed.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { renderIncludeFile } from "../agent/speakers/bird";
import {
  AGENT_PORT,
  ANYCAST_ADDRESS,
  ANYCAST_PREFIX,
  CLIENTS,
  LAB_ASN,
  POPS,
  RING,
  TRANSITS,
  addresses,
  agentUrl,
  labNames,
  popBirdConfig,
  transitBirdConfig,
  type LabPop,
} from "./topology";

const REPO = path.resolve(import.meta.dirname, "..");

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

function sh(command: string, args: string[], { allowFail = false } = {}): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0 && !allowFail) throw new Error(`${command} ${args.join(" ")} failed: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}
const nsExec = (ns: string, ...args: string[]) => sh("ip", ["netns", "exec", ns, ...args]);

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

function namespaces(instance: number): string[] {
  const names = labNames(instance);
  return [...TRANSITS.map(names.transitNs), ...POPS.map((pop) => names.popNs(pop.index)), ...CLIENTS.map((client) => names.clientNs(client.index))];
}

function existingNamespaces(): Set<string> {
  return new Set(
    sh("ip", ["netns", "list"], { allowFail: true })
      .split("\n")
      .map((line) => line.split(" ")[0]!)
      .filter(Boolean),
  );
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

// ---- processes -----------------------------------------------------------------------------

function pidDir(runDir: string) {
  return path.join(runDir, "pids");
}

function readPid(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** True when pid is alive and its command line mentions the run folder (so never a recycled PID). */
function ours(pid: number, runDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(runDir);
  } catch {
    return false;
  }
}

/** Starts a long-running process (optionally inside a namespace), detached, with a PID file. */
function startProcess(runDir: string, name: string, argv: string[], ns?: string): number {
  const logFile = path.join(runDir, "logs", `${name}.log`);
  const out = openSync(logFile, "a");
  const [command, ...args] = ns ? ["ip", "netns", "exec", ns, ...argv] : argv;
  // `ip netns exec` execs the command: the PID is the daemon's own.
  const child = spawn(command!, args, { cwd: REPO, detached: true, stdio: ["ignore", out, out], env: { ...process.env, LOG_LEVEL: process.env.LAB_LOG_LEVEL ?? "warn" } });
  closeSync(out);
  child.unref();
  writeFileSync(path.join(pidDir(runDir), `${name}.pid`), `${child.pid}\n`);
  return child.pid!;
}

function startBird(runDir: string, name: string, ns: string, dir: string): void {
  const socket = path.join(dir, "bird.ctl");
  const pidFile = path.join(pidDir(runDir), `${name}.pid`);
  rmSync(socket, { force: true });
  nsExec(ns, "bird", "-s", socket, "-P", pidFile, "-c", path.join(dir, "bird.conf"));
}

/** Restarts one PoP's BIRD after it was killed (the kill -9 test brings it back). */
export function restartPopBird(info: LabInfo, popIndex: number): void {
  const pop = info.pops.find((candidate) => candidate.index === popIndex)!;
  startBird(info.runDir, `bird-pop${popIndex}`, pop.namespace, path.join(info.runDir, `pop${popIndex}`));
}

/** The PID of one lab process by its PID-file name (bird-pop1, agent-pop2, ...), if it runs. */
export function labPid(info: LabInfo, name: string): number | null {
  const pid = readPid(path.join(pidDir(info.runDir), `${name}.pid`));
  return pid !== null && ours(pid, info.runDir) ? pid : null;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`lab: timed out waiting for ${what}`);
    await sleep(100);
  }
}

// ---- up --------------------------------------------------------------------------------------

/** Runs `ip -batch` (optionally inside a namespace): one process for many commands. */
function ipBatch(lines: string[], ns?: string, { allowFail = false } = {}): void {
  const result = spawnSync("ip", [...(ns ? ["-n", ns] : []), ...(allowFail ? ["-force"] : []), "-batch", "-"], { input: `${lines.join("\n")}\n`, encoding: "utf8" });
  if (result.error) throw new Error(`ip: ${result.error.message}`);
  if (result.status !== 0 && !allowFail) throw new Error(`ip -batch${ns ? ` in ${ns}` : ""} failed: ${(result.stderr || result.stdout).trim()}`);
}

function buildNetwork(instance: number): void {
  const names = labNames(instance);
  const root: string[] = namespaces(instance).map((ns) => `netns add ${ns}`);
  const inside = new Map<string, string[]>(namespaces(instance).map((ns) => [ns, ["link set lo up"]]));
  const link = (a: string, aNs: string, aAddr: string, b: string, bNs: string | null, bAddr: string) => {
    root.push(`link add ${a} type veth peer name ${b}`, `link set ${a} netns ${aNs}`);
    inside.get(aNs)!.push(`addr add ${aAddr}/30 dev ${a}`, `link set ${a} up`);
    if (bNs) {
      root.push(`link set ${b} netns ${bNs}`);
      inside.get(bNs)!.push(`addr add ${bAddr}/30 dev ${b}`, `link set ${b} up`);
    } else {
      root.push(`addr add ${bAddr}/30 dev ${b}`, `link set ${b} up`);
    }
  };
  for (const { link: k, a, b } of RING) {
    link(names.ringVeth(k, "a"), names.transitNs(a), addresses.ring(k, "a"), names.ringVeth(k, "b"), names.transitNs(b), addresses.ring(k, "b"));
  }
  for (const pop of POPS) {
    const ns = names.popNs(pop.index);
    link(names.popVeth(pop.index, "p"), ns, addresses.popSide(pop.index), names.popVeth(pop.index, "t"), names.transitNs(pop.transit), addresses.popTransitSide(pop.index));
    // Management link to the root namespace: the console reaches the agent here, nothing is routed.
    link(names.mgmtVeth(pop.index, "p"), ns, names.mgmtPop(pop.index), names.mgmtVeth(pop.index, "h"), null, names.mgmtHost(pop.index));
    inside.get(ns)!.push(`route add default via ${addresses.popTransitSide(pop.index)}`, `addr add ${ANYCAST_ADDRESS}/32 dev lo`);
  }
  for (const client of CLIENTS) {
    const ns = names.clientNs(client.index);
    link(names.clientVeth(client.index, "c"), ns, addresses.client(client.index), names.clientVeth(client.index, "t"), names.transitNs(client.transit), addresses.clientTransitSide(client.index));
    inside.get(ns)!.push(`route add default via ${addresses.clientTransitSide(client.index)}`);
  }
  ipBatch(root);
  for (const [ns, lines] of inside) ipBatch(lines, ns);
  // Transit routers forward; new namespaces start with forwarding off (and rp_filter off).
  for (const t of TRANSITS) nsExec(names.transitNs(t), "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0");
}

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

/** Each client's latest result, as it received it. */
export type ClientResult = { client: number; t: number; rtMs: number | null; answer: string | null; error: string | null };

/** Every result a client has received since `since` (ms epoch). */
export function readClientResults(info: LabInfo, clientIndex: number, since = 0): ClientResult[] {
  const client = info.clients.find((candidate) => candidate.index === clientIndex)!;
  let text: string;
  try {
    text = readFileSync(client.resultsFile, "utf8");
  } catch {
    return [];
  }
  const results: ClientResult[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const record = JSON.parse(line) as { t: number; rt: number | null; answer: string | null; error: string | null };
      if (record.t >= since) results.push({ client: clientIndex, t: record.t, rtMs: record.rt, answer: record.answer, error: record.error });
    } catch {
      // a line being written
    }
  }
  return results;
}

/** Which PoP code answered each client most recently (null: no answer). */
export function currentCatchment(info: LabInfo, since = 0): Map<number, string | null> {
  const byIdentity = new Map(info.pops.map((pop) => [pop.identity, pop.code]));
  return new Map(
    info.clients.map((client) => {
      const last = readClientResults(info, client.index, since).at(-1);
      return [client.index, last?.answer ? (byIdentity.get(last.answer) ?? last.answer) : null];
    }),
  );
}

/**
 * Waits until every client's answers (sent after `since`) come from the expected PoP;
 * resolves with the time (ms epoch) of the query at which the last client got there.
 */
export async function waitForCatchment(info: LabInfo, expected: Record<number, string>, since: number, timeoutMs = 15_000): Promise<number> {
  const byIdentity = new Map(info.pops.map((pop) => [pop.identity, pop.code]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let settledAt = 0;
    let ok = true;
    for (const [client, code] of Object.entries(expected)) {
      const results = readClientResults(info, Number(client), since);
      const last = results.at(-1);
      if (!last || (last.answer ? byIdentity.get(last.answer) : null) !== code) {
        ok = false;
        break;
      }
      // The first query of the final run of answers from the expected PoP.
      let first = results.length - 1;
      while (first > 0 && results[first - 1]!.answer !== null && byIdentity.get(results[first - 1]!.answer!) === code) first -= 1;
      settledAt = Math.max(settledAt, results[first]!.t);
    }
    if (ok) return settledAt;
    if (Date.now() > deadline) {
      const seen = Object.fromEntries([...currentCatchment(info, since)].map(([client, code]) => [`c${client}`, code]));
      throw new Error(`lab: clients did not converge to ${JSON.stringify(expected)} within ${timeoutMs} ms; now ${JSON.stringify(seen)}`);
    }
    await sleep(50);
  }
}

/**
 * Waits until each of `clients` is answered by a PoP other than `fromCode`, and has kept the same
 * answer for `stableMs` (BGP can hunt: a client may reach one PoP for a moment before its routers
 * settle on another); resolves with the time of the query at which the last of them got its first
 * answer after leaving it, and the PoP each of them settled on.
 */
export async function waitForMoveAway(info: LabInfo, clients: number[], fromCode: string, since: number, timeoutMs = 15_000, stableMs = 1500): Promise<{ settledAt: number; now: Map<number, string> }> {
  const identity = info.pops.find((pop) => pop.code === fromCode)!.identity;
  const byIdentity = new Map(info.pops.map((pop) => [pop.identity, pop.code]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let settledAt = 0;
    const now = new Map<number, string>();
    for (const client of clients) {
      const results = readClientResults(info, client, since);
      const last = results.at(-1);
      if (!last?.answer || last.answer === identity) break;
      let sameSince = results.length - 1;
      while (sameSince > 0 && results[sameSince - 1]!.answer === last.answer) sameSince -= 1;
      if (Date.now() - results[sameSince]!.t < stableMs) break;
      let first = sameSince;
      while (first > 0 && results[first - 1]!.answer !== null && results[first - 1]!.answer !== identity) first -= 1;
      settledAt = Math.max(settledAt, results[first]!.t);
      now.set(client, byIdentity.get(last.answer) ?? last.answer);
    }
    if (now.size === clients.length) return { settledAt, now };
    if (Date.now() > deadline) throw new Error(`lab: clients ${clients.join(", ")} did not all leave ${fromCode} and settle within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The catchment with every PoP announced (what BGP gives this topology). */
export const BASELINE_CATCHMENT: Record<number, string> = { 1: "AMS1", 2: "FRA1", 3: "NYC1", 4: "SIN1", 5: "SIN1", 6: "AMS1" };

function isUp(instance: number, runDir: string): boolean {
  if (!existsSync(path.join(runDir, "lab.json"))) return false;
  const present = existingNamespaces();
  if (!namespaces(instance).every((ns) => present.has(ns))) return false;
  const pids = existsSync(pidDir(runDir)) ? readdirSync(pidDir(runDir)) : [];
  const expected = TRANSITS.length + POPS.length * 3 + CLIENTS.length + 1;
  return pids.length === expected && pids.every((file) => {
    const pid = readPid(path.join(pidDir(runDir), file));
    return pid !== null && ours(pid, runDir);
  });
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
  const pids: number[] = [];
  if (existsSync(pidDir(runDir))) {
    for (const file of readdirSync(pidDir(runDir))) {
      const pid = readPid(path.join(pidDir(runDir), file));
      if (pid !== null && ours(pid, runDir)) pids.push(pid);
    }
  }
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 5000;
  while (pids.some((pid) => ours(pid, runDir)) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter((candidate) => ours(candidate, runDir))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  const present = existingNamespaces();
  const mine = namespaces(instance).filter((ns) => present.has(ns));
  if (mine.length) ipBatch(mine.map((ns) => `netns del ${ns}`));
  // Links go with their namespaces; remove any root-side ends a half-built lab left behind.
  const names = labNames(instance);
  const links = [
    ...POPS.flatMap((pop) => [names.mgmtVeth(pop.index, "h"), names.mgmtVeth(pop.index, "p"), names.popVeth(pop.index, "p"), names.popVeth(pop.index, "t")]),
    ...RING.flatMap(({ link }) => [names.ringVeth(link, "a"), names.ringVeth(link, "b")]),
    ...CLIENTS.flatMap((client) => [names.clientVeth(client.index, "c"), names.clientVeth(client.index, "t")]),
  ];
  const rootLinks = () =>
    new Set(
      sh("ip", ["-o", "link", "show"], { allowFail: true })
        .split("\n")
        .map((line) => /^\d+: ([^:@]+)/.exec(line)?.[1])
        .filter(Boolean),
    );
  // Namespaces are destroyed asynchronously, taking their veths' root-side ends with them a
  // moment later: wait for that, then remove whatever a half-built lab left behind.
  const linkDeadline = Date.now() + 3000;
  let leftover = links.filter((name) => rootLinks().has(name));
  while (leftover.length > 0 && Date.now() < linkDeadline) {
    await sleep(100);
    leftover = links.filter((name) => rootLinks().has(name));
  }
  if (leftover.length) ipBatch(leftover.map((name) => `link del ${name}`), undefined, { allowFail: true });
  for (const dir of ["pids", "clients"]) rmSync(path.join(runDir, dir), { recursive: true, force: true });
  rmSync(path.join(runDir, "lab.json"), { force: true });
  options.log?.(`lab ${instance}: down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Lab processes and namespaces still present: both empty after stopLab. */
export function labLeftovers(instance: number, runDir = defaultRunDir(instance)): { processes: number[]; namespaces: string[] } {
  const processes = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid && ours(pid, path.resolve(runDir)));
  const present = existingNamespaces();
  return { processes, namespaces: namespaces(instance).filter((ns) => present.has(ns)) };
}
