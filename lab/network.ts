// The lab's network: one namespace per transit, PoP and client, veths between them, and the
// root-side ends of the PoPs' management links. Every name is `ctm<instance>-...`
// (topology.ts), and only those are ever removed.
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { nsExec, sh } from "./processes";
import { ANYCAST_ADDRESS, CLIENTS, POPS, RING, TRANSITS, addresses, labNames } from "./topology";

/** The namespaces of one lab instance. */
export function namespaces(instance: number): string[] {
  const names = labNames(instance);
  return [...TRANSITS.map(names.transitNs), ...POPS.map((pop) => names.popNs(pop.index)), ...CLIENTS.map((client) => names.clientNs(client.index))];
}

export function existingNamespaces(): Set<string> {
  return new Set(
    sh("ip", ["netns", "list"], { allowFail: true })
      .split("\n")
      .map((line) => line.split(" ")[0]!)
      .filter(Boolean),
  );
}

/** Runs `ip -batch` (optionally inside a namespace): one process for many commands. */
function ipBatch(lines: string[], ns?: string, { allowFail = false } = {}): void {
  const result = spawnSync("ip", [...(ns ? ["-n", ns] : []), ...(allowFail ? ["-force"] : []), "-batch", "-"], { input: `${lines.join("\n")}\n`, encoding: "utf8" });
  if (result.error) throw new Error(`ip: ${result.error.message}`);
  if (result.status !== 0 && !allowFail) throw new Error(`ip -batch${ns ? ` in ${ns}` : ""} failed: ${(result.stderr || result.stdout).trim()}`);
}

/** Builds the namespaces, links, addresses and routes of one lab instance. */
export function buildNetwork(instance: number): void {
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

/** Removes the instance's namespaces and any root-side link a half-built lab left behind. Safe to repeat. */
export async function removeNetwork(instance: number): Promise<void> {
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
}
