import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bestPath, parseProtocols, parseRoutes, parseStatus, pathFrom, sessionState, unsupportedBirdVersion, type BirdProtocols, type BirdRoutes } from "./bird-parse";

// Other BIRD consumers' recorded `birdc` output, kept outside the repo: one test per file.
// Where each comes from, and which were hand-assembled upstream: ../shared/fixtures/bird/SOURCES.md.
const FIXTURES = path.resolve(import.meta.dirname, "../../../shared/fixtures/bird");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

/** The routes, asserting the file was read (not refused). */
function read(name: string): Extract<BirdRoutes, { ok: true }> {
  const routes = parseRoutes(fixture(name));
  if (!routes.ok) throw new Error(`${name} was refused: ${routes.reason}`);
  return routes;
}

const pathCount = (routes: Extract<BirdRoutes, { ok: true }>) => routes.prefixes.reduce((sum, prefix) => sum + prefix.paths.length, 0);
const bestCount = (routes: Extract<BirdRoutes, { ok: true }>) => routes.prefixes.reduce((sum, prefix) => sum + prefix.paths.filter((one) => one.best).length, 0);

/** How many BGP sessions are in each state, as the agent reports them. */
function bgpStates({ protocols }: BirdProtocols): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const protocol of protocols.filter((candidate) => candidate.proto === "BGP")) {
    const state = sessionState(protocol);
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

const covered = new Set<string>();
/** One `it` per fixture file; the last test checks no file in the folder was left out. */
function forFile(name: string, title: string, test: () => void) {
  covered.add(name);
  it(`${name}: ${title}`, test);
}

describe("show route all (bird-lg-go: one dn42 anycast prefix seen over 15 sessions)", () => {
  forFile("bird-lg-go-bgpmap_case1-bird2-show-route-all-172.20.0.53-at-5625058.txt", "BIRD 2: all 15 paths of the prefix, one best", () => {
    const routes = read("bird-lg-go-bgpmap_case1-bird2-show-route-all-172.20.0.53-at-5625058.txt");
    expect(routes.warnings).toEqual([]);
    expect(routes.prefixes.map(({ prefix, table }) => [prefix, table])).toEqual([["172.20.0.53/32", "master4"]]);
    expect(pathCount(routes)).toBe(15);
    expect(bestCount(routes)).toBe(1);
    // The best path is iBGP, "(100/38)": preference 100, IGP metric 38.
    expect(bestPath(routes, "172.20.0.53/32")).toMatchObject({
      fromProtocol: "ibgp_sjc2",
      preference: 100,
      asPath: [4242423914],
      nextHop: "172.20.229.122",
      med: 50,
      localPref: 100,
      communities: ["64511:1", "64511:24", "64511:34", "4242421080:101:44", "4242421080:103:122", "4242421080:104:1"],
    });
    // Extended next hop: BIRD prints the global "::" then the link-local address.
    expect(pathFrom(routes, "172.20.0.53/32", "imlonghao_1888")).toMatchObject({ best: false, nextHop: ":: fe80::1888", asPath: [4242421888, 4242423914] });
    expect(pathFrom(routes, "172.20.0.53/32", "cola_3391")?.asPath).toEqual([4242423391, 4242420604, 4242423914]);
  });

  forFile("bird-lg-go-bgpmap_case1-mixed-bird2-bird3-at-HEAD.txt", "a BIRD 3 path (bgp_path, bgp_community) among BIRD 2 ones reads the same", () => {
    const routes = read("bird-lg-go-bgpmap_case1-mixed-bird2-bird3-at-HEAD.txt");
    expect(routes.warnings).toEqual([]);
    expect([routes.prefixes.length, pathCount(routes), bestCount(routes)]).toEqual([1, 15, 1]);
    // Upstream rewrote only the last path into BIRD 3's notation: same values as in the BIRD 2 file.
    const bird2 = read("bird-lg-go-bgpmap_case1-bird2-show-route-all-172.20.0.53-at-5625058.txt");
    const cola = pathFrom(routes, "172.20.0.53/32", "cola_3391");
    expect(cola).toEqual(pathFrom(bird2, "172.20.0.53/32", "cola_3391"));
    expect(cola).toMatchObject({ asPath: [4242423391, 4242420604, 4242423914], med: 50, localPref: 100, nextHop: "172.22.96.65" });
    expect(cola?.communities).toHaveLength(10);
    expect(cola?.communities.slice(0, 4)).toEqual(["64511:4", "64511:34", "64511:24", "4242420604:2:50"]);
  });
});

describe("show route all (birdwatcher; hand-assembled upstream, with a prefix listed twice)", () => {
  // BIRD 1 prints the next hop inside the route line; the agent only ever drives BIRD 2.0.12+
  // or 3 (its generated configuration is BIRD 2 syntax), so reading BIRD 1 would be untested guesswork.
  forFile("birdwatcher-test-routes_bird1_ipv4.sample", "BIRD 1.6 is refused, and the reason names BIRD 1", () => {
    const routes = parseRoutes(fixture("birdwatcher-test-routes_bird1_ipv4.sample"));
    expect(routes.ok).toBe(false);
    expect(!routes.ok && routes.reason).toMatch(/^this is BIRD 1 output .*via 1\.2\.3\.16 on eno7.*BIRD 1 is not supported$/);
    expect(!routes.ok && routes.reason).toContain("BIRD 2 (2.0.12 or later) and BIRD 3");
  });

  forFile("birdwatcher-test-routes_bird1_ipv6.sample", "BIRD 1.6 (IPv6) is refused, and the reason names BIRD 1", () => {
    const routes = parseRoutes(fixture("birdwatcher-test-routes_bird1_ipv6.sample"));
    expect(!routes.ok && routes.reason).toMatch(/^this is BIRD 1 output .*2001:4860::\/32 +via fe80:ffff:ffff::1 on eth2.*BIRD 1 is not supported$/);
  });

  forFile("birdwatcher-test-routes_bird2_ipv4.sample", "BIRD 2 routes under a BIRD 1.6.3 banner: read, with warnings for the banner and the repeated prefix", () => {
    const routes = read("birdwatcher-test-routes_bird2_ipv4.sample");
    expect(routes.warnings).toEqual([
      "16.0.0.0/24 is listed twice; both listings are kept",
      "the banner says BIRD 1.6.3, but the routes are in BIRD 2's form: read as BIRD 2",
    ]);
    expect(routes.prefixes.map((prefix) => [prefix.prefix, prefix.paths.length])).toEqual([
      ["16.0.0.0/24", 1],
      ["200.0.0.0/24", 2],
      ["16.0.0.0/24", 1],
    ]);
    expect(bestCount(routes)).toBe(3);
    // The community list wraps onto a "\t\t(65101,11077) ..." line: 46 + 4 standard, then 2 large.
    const first = bestPath(routes, "16.0.0.0/24")!;
    expect(first.communities).toHaveLength(52);
    expect(first.communities.slice(44, 52)).toEqual(["48793:48793", "50673:500", "65101:11077", "65102:11000", "65103:724", "65104:150", "9033:65666:12", "9033:65666:9"]);
    // The second path, "(100/?)", is not best.
    expect(pathFrom(routes, "200.0.0.0/24", "ID8503_AS1340")).toMatchObject({ best: false, preference: 100, asPath: [1340], communities: ["65011:3", "9033:3251", "9033:65666:12", "9033:65666:9"] });
  });

  forFile("birdwatcher-test-routes_bird2_ipv6.sample", "BIRD 2.0.0 with mixed tab and space indentation: 2 prefixes, 3 paths, 2 best", () => {
    const routes = read("birdwatcher-test-routes_bird2_ipv6.sample");
    expect(routes.warnings).toEqual([]);
    expect([routes.version, routes.prefixes.length, pathCount(routes), bestCount(routes)]).toEqual(["2.0.0", 2, 3, 2]);
    expect(bestPath(routes, "2001:4860::/32")).toMatchObject({ fromProtocol: "upstream1", asPath: [15169], localPref: 500, med: 0 });
    expect(pathFrom(routes, "2001:4860::/32", "upstream2")).toMatchObject({ best: false, asPath: [50629, 15169], med: 71, communities: ["50629:200", "50629:201", "48821:0:3000", "48821:0:3100"] });
    // "(unknown 0x4300, 0, 1)" is an extended community: not in the agent's notation, not an error.
    expect(bestPath(routes, "2001:678:1e0::/48")).toMatchObject({ asPath: [202739], communities: ["48821:2000", "48821:2100", "48821:0:2000", "48821:0:2100"] });
  });

  forFile("birdwatcher-test-routes_bird3_ipv4.sample", "BIRD 3.0.1 (bgp_path, bgp_community): same prefixes, paths and attributes as the BIRD 2 sample", () => {
    const routes = read("birdwatcher-test-routes_bird3_ipv4.sample");
    expect(routes.warnings).toEqual(["16.0.0.0/24 is listed twice; both listings are kept"]);
    expect([routes.version, routes.prefixes.length, pathCount(routes), bestCount(routes)]).toEqual(["3.0.1", 3, 4, 3]);
    const bird2 = read("birdwatcher-test-routes_bird2_ipv4.sample");
    expect(routes.prefixes).toEqual(bird2.prefixes);
    expect(bestPath(routes, "200.0.0.0/24")).toMatchObject({ fromProtocol: "ID8497_AS1339", asPath: [1339], nextHop: "1.2.3.15", communities: ["65011:40", "9033:3251", "9033:65666:12", "9033:65666:9"] });
  });

  forFile("birdwatcher-test-routes_bird3_ipv6.sample", "BIRD 3.0.1 (IPv6, no trailing newline): 2 prefixes, 3 paths, 2 best", () => {
    const routes = read("birdwatcher-test-routes_bird3_ipv6.sample");
    expect(routes.warnings).toEqual([]);
    expect([routes.prefixes.length, pathCount(routes), bestCount(routes)]).toEqual([2, 3, 2]);
    expect(bestPath(routes, "2001:4860::/32")?.communities).toHaveLength(52);
    expect(pathFrom(routes, "2001:4860::/32", "upstream2")).toMatchObject({ best: false, asPath: [50629, 15169], localPref: 100, med: 71 });
    expect(bestPath(routes, "2001:678:1e0::/48")).toMatchObject({ fromProtocol: "upstream2", asPath: [202739], localPref: 5000 });
  });
});

describe("show protocols [all]", () => {
  forFile("meridio-bird-2.0.7-show-protocols-all-bgpOutput.txt", "BIRD 2.0.7: 4 established BGP sessions with scoped neighbour addresses and a 4-byte ASN", () => {
    const parsed = parseProtocols(fixture("meridio-bird-2.0.7-show-protocols-all-bgpOutput.txt"));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.protocols.map((protocol) => protocol.proto)).toEqual(["BFD", "BGP", "BGP", "BGP", "BGP"]);
    expect(bgpStates(parsed)).toEqual({ established: 4 });
    // Routes summed over the ipv4 and ipv6 channels.
    expect(parsed.protocols[1]).toMatchObject({ name: "NBR-gateway1", neighborAddress: "169.254.100.254%ext-vlan", neighborAs: 4248829953, localAs: 8103, imported: 1, exported: 2 });
  });

  forFile("meridio-bird-2.0.7-show-protocols-all-bgpLinkLocalOutput.txt", "BIRD 2.0.7: 3 established, 1 idle after a hold timer expiry", () => {
    const parsed = parseProtocols(fixture("meridio-bird-2.0.7-show-protocols-all-bgpLinkLocalOutput.txt"));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.protocols).toHaveLength(5);
    expect(bgpStates(parsed)).toEqual({ established: 3, idle: 1 });
    const down = parsed.protocols.find((protocol) => protocol.name === "NBR-gateway3")!;
    expect(down).toMatchObject({ state: "start", bgpState: "Idle", lastError: "Received: Hold timer expired", imported: null, exported: null });
    expect(parsed.protocols.find((protocol) => protocol.name === "NBR-gateway2")?.neighborAddress).toBe("fe80::beef%ext-vlan");
  });

  forFile("meridio-bird-3.1.4-show-protocols-all-bgpOutput.txt", "BIRD 3.1.4 (new fields, seven-column stats): 2 established sessions and their route counts", () => {
    const parsed = parseProtocols(fixture("meridio-bird-3.1.4-show-protocols-all-bgpOutput.txt"));
    expect(parsed).toMatchObject({ version: "3.1.4", warnings: [] });
    expect(parsed.protocols.map((protocol) => [protocol.name, protocol.proto, protocol.imported, protocol.exported])).toEqual([
      ["NBR-gateway1", "BGP", 1, 2],
      ["NBR-gateway2", "BGP", 1, 1],
      ["NBR-BFD", "BFD", null, null],
    ]);
    expect(bgpStates(parsed)).toEqual({ established: 2 });
    expect(parsed.protocols[1]).toMatchObject({ neighborAddress: "100:100::150%eth0.100", neighborAs: 4248829953, localAs: 8103 });
  });

  forFile("meridio-bird-3.1.4-show-protocols-all-bgpLinkLocalOutput.txt", "BIRD 3.1.4: an established session that keeps its last socket error", () => {
    const parsed = parseProtocols(fixture("meridio-bird-3.1.4-show-protocols-all-bgpLinkLocalOutput.txt"));
    expect(parsed.warnings).toEqual([]);
    expect(bgpStates(parsed)).toEqual({ established: 2 });
    expect(parsed.protocols.find((protocol) => protocol.name === "NBR-gateway2")).toMatchObject({
      neighborAddress: "fe80::98c6:29ff:fe52:ccb5%eth0.100",
      lastError: "Socket: Connection reset by peer",
      imported: 1,
      exported: 1,
    });
  });

  forFile("meridio-bird-3.1.4-show-protocols-all-staticOutput.txt", "BIRD 3.1.4: 2 static protocols with one imported route each, no BGP", () => {
    const parsed = parseProtocols(fixture("meridio-bird-3.1.4-show-protocols-all-staticOutput.txt"));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.protocols.map((protocol) => [protocol.name, protocol.proto, protocol.table, protocol.state, protocol.imported, protocol.exported])).toEqual([
      ["NBR-gateway1", "Static", "master4", "up", 1, 0],
      ["NBR-gateway2", "Static", "master6", "up", 1, 0],
      ["NBR-BFD", "BFD", "---", "up", null, null],
    ]);
    expect(bgpStates(parsed)).toEqual({});
  });

  forFile("birdwatcher-test-protocols_short_bird3.sample", "BIRD 3.0.1 short form: 22 protocols; the 13 Established sessions read as established, the 6 Passive ones as active", () => {
    const parsed = parseProtocols(fixture("birdwatcher-test-protocols_short_bird3.sample"));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.protocols).toHaveLength(22);
    expect(bgpStates(parsed)).toEqual({ established: 13, active: 6 });
    expect(parsed.protocols.find((protocol) => protocol.name === "as214390_pe02_par1_ip4")).toMatchObject({ state: "start", since: "15:14:00.692", info: "Passive       Error: Neighbor lost" });
  });

  // BIRD 1's protocol list has the same columns as BIRD 2's and 3's, so reading it is exact.
  forFile("birdwatcher-test-protocols_short.sample", "BIRD 1.6.5 short form: 27 protocols, 9 sessions established and 2 idle", () => {
    const parsed = parseProtocols(fixture("birdwatcher-test-protocols_short.sample"));
    expect(parsed).toMatchObject({ version: "1.6.5", warnings: [] });
    expect(parsed.protocols).toHaveLength(27);
    expect(parsed.protocols.filter((protocol) => protocol.proto === "Pipe")).toHaveLength(13);
    expect(bgpStates(parsed)).toEqual({ established: 9, idle: 2 });
    expect(parsed.protocols.find((protocol) => protocol.name === "R194_205")).toMatchObject({ since: "2019-02-20 12:06:01", info: "Idle          BGP Error: Bad peer AS" });
  });

  // Upstream assembled this file by hand; one protocol line lost its State column.
  forFile("birdwatcher-test-protocols_bgp_pipe.sample", "BIRD 1.6 `all` of a route server: 2 protocols read, the line without a state skipped with a warning", () => {
    const parsed = parseProtocols(fixture("birdwatcher-test-protocols_bgp_pipe.sample"));
    expect(parsed.warnings).toEqual([
      "not a protocol line (skipped with its details): C65003_nada2_co_ripe Pipe     Collector    2018-05-31 16:39:01  => T65003_nada2_co_ripe",
    ]);
    expect(parsed.protocols.map((protocol) => [protocol.name, protocol.proto, protocol.imported, protocol.exported])).toEqual([
      ["M65001_nada_co_ripe", "Pipe", 688, 247259],
      ["R194_42", "BGP", 710, 154998],
    ]);
    // The skipped Pipe's "Output filter: REJECT" did not land on the Pipe above it; the tab-indented "Last error" is read.
    expect(parsed.protocols[1]).toMatchObject({ bgpState: "Established", neighborAddress: "172.31.194.42", neighborAs: 1764, lastError: "Socket: Connection closed" });
    expect(sessionState(parsed.protocols[1]!)).toBe("established");
  });
});

describe("show status (the driver checks it before it drives BIRD)", () => {
  forFile("birdwatcher-test-status1.sample", "BIRD 1.6.6: read, and the driver would refuse this version", () => {
    const status = parseStatus(fixture("birdwatcher-test-status1.sample"));
    expect(status).toEqual({
      version: "1.6.6",
      routerId: "172.25.3.2",
      hostname: null,
      serverTime: "2021-03-30 02:28:45",
      lastReboot: "2021-03-30 02:28:19",
      lastReconfiguration: "2021-03-30 02:28:19",
      daemon: "running",
    });
    expect(unsupportedBirdVersion(status.version)).toBe("BIRD 1.6.6 is not supported: the agent drives BIRD 2 (2.0.12 or later) or BIRD 3");
  });

  forFile("birdwatcher-test-status2.sample", "BIRD 2.0.7: running, millisecond times", () => {
    const status = parseStatus(fixture("birdwatcher-test-status2.sample"));
    expect(status).toMatchObject({ version: "2.0.7", routerId: "172.25.3.2", serverTime: "2021-03-30 02:23:32.330", daemon: "running" });
    expect(unsupportedBirdVersion(status.version)).toBeNull();
  });

  forFile("birdwatcher-test-status3.sample", "a git build of BIRD 2 (v2.0.9-11-g207ac485) with a hostname", () => {
    const status = parseStatus(fixture("birdwatcher-test-status3.sample"));
    expect(status).toMatchObject({ version: "2.0.9-11-g207ac485", routerId: "1.2.3.4", hostname: "rs42", lastReboot: "2022-06-03 12:35:43", daemon: "running" });
    expect(unsupportedBirdVersion(status.version)).toBeNull();
  });

  forFile("birdwatcher-test-status4.sample", "BIRD 3.0.1 (no trailing newline): running, supported", () => {
    const status = parseStatus(fixture("birdwatcher-test-status4.sample"));
    expect(status).toMatchObject({ version: "3.0.1", hostname: "rs2-par1", lastReconfiguration: "2025-03-31 12:34:16.644", daemon: "running" });
    expect(unsupportedBirdVersion(status.version)).toBeNull();
  });
});

describe("../shared/fixtures/bird", () => {
  it("has a test above for every file", () => {
    const files = readdirSync(FIXTURES).filter((name) => name !== "SOURCES.md");
    expect(files.filter((name) => !covered.has(name))).toEqual([]);
    expect(files.length).toBe(covered.size);
  });
});
