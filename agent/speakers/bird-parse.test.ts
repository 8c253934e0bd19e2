import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bestPath, configureRejection, parseProtocols, parseRoutes, parseSince, pathFrom, sessionState, type BirdRoutes } from "./bird-parse";
import { parseIncludeState, renderIncludeFile, staticProtocolName } from "./bird";

// Output captured from BIRD 2.0.12 on this kind of machine (see agent/speakers/fixtures/).
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseProtocols", () => {
  it("reads BGP sessions, static protocols and route counts from `show protocols all`", () => {
    const { protocols, warnings } = parseProtocols(fixture("show-protocols-all.txt"));
    expect(warnings).toEqual([]);
    expect(protocols.map((protocol) => [protocol.name, protocol.proto, protocol.state])).toEqual([
      ["device1", "Device", "up"],
      ["ctm_anycast_192_0_2_0_24", "Static", "up"],
      ["ctm_anycast_198_51_100_0_24", "Static", "up"],
      ["up1", "BGP", "up"],
    ]);
    const bgp = protocols.find((protocol) => protocol.name === "up1")!;
    expect(bgp).toMatchObject({ bgpState: "Established", neighborAddress: "127.0.0.2", neighborAs: 64601, localAs: 64500, imported: 0, exported: 2, info: "Established" });
    expect(sessionState(bgp)).toBe("established");
    expect(protocols[1]).toMatchObject({ imported: 1, exported: 0, bgpState: null });
  });

  it("reads a session that is down, with BIRD's last error", () => {
    const [bgp] = parseProtocols(fixture("show-protocols-all-peer-down.txt")).protocols;
    expect(bgp).toMatchObject({ name: "up1", state: "start", bgpState: "Active", lastError: "Received: Administrative shutdown", info: "Active        Received: Administrative shutdown" });
    expect(sessionState(bgp!)).toBe("active");
  });

  it("reads the ISO long time format and disabled protocols", () => {
    const { protocols } = parseProtocols(fixture("show-protocols-all-iso.txt"));
    expect(protocols.find((protocol) => protocol.name === "catchment_198_51_100_0_24")).toMatchObject({ state: "down", since: "2026-11-25 21:57:19" });
    const down = protocols.find((protocol) => protocol.name === "transit_b")!;
    expect(down).toMatchObject({ state: "start", bgpState: "Active", neighborAddress: "127.0.0.3", neighborAs: 64602 });
    const up = protocols.find((protocol) => protocol.name === "transit_a")!;
    expect(up).toMatchObject({ bgpState: "Established", imported: 1, exported: 2 });
    expect(sessionState({ ...up, state: "down" })).toBe("idle");
  });
});

describe("parseSince", () => {
  const now = new Date(2026, 10, 25, 22, 0, 0);
  it("reads ISO long, a date, and today's time of day", () => {
    expect(parseSince("2026-11-25 21:57:19", now)).toEqual(new Date(2026, 10, 25, 21, 57, 19));
    expect(parseSince("2026-11-20", now)).toEqual(new Date(2026, 10, 20));
    expect(parseSince("21:54:11.881", now)).toEqual(new Date(2026, 10, 25, 21, 54, 11, 881));
  });
  it("puts a time of day later than now on the day before, and refuses junk", () => {
    expect(parseSince("23:30:00", now)).toEqual(new Date(2026, 10, 24, 23, 30, 0));
    expect(parseSince("yesterday", now)).toBeNull();
  });
});

/** Each prefix with its paths' protocol, best mark, AS path and communities. */
const summary = (routes: BirdRoutes) =>
  routes.ok ? routes.prefixes.map(({ prefix, paths }) => ({ prefix, paths: paths.map(({ fromProtocol, best, asPath, communities }) => ({ fromProtocol, best, asPath, communities })) })) : routes.reason;

describe("parseRoutes", () => {
  it("reads what the export filter sends: prepends, communities and large communities", () => {
    expect(summary(parseRoutes(fixture("show-route-export-large.txt")))).toEqual([
      { prefix: "192.0.2.0/24", paths: [{ fromProtocol: "catchment_192_0_2_0_24", best: true, asPath: [64500, 64500], communities: ["64500:666", "64500:1:2"] }] },
      { prefix: "203.0.113.0/24", paths: [{ fromProtocol: "catchment_203_0_113_0_24", best: true, asPath: [], communities: [] }] },
    ]);
    const exported = parseRoutes(fixture("show-route-export-all.txt"));
    expect(summary(exported)).toEqual([
      { prefix: "198.51.100.0/24", paths: [{ fromProtocol: "ctm_anycast_198_51_100_0_24", best: true, asPath: [], communities: [] }] },
      { prefix: "192.0.2.0/24", paths: [{ fromProtocol: "ctm_anycast_192_0_2_0_24", best: true, asPath: [64500, 64500], communities: ["64500:666"] }] },
    ]);
    expect(exported).toMatchObject({ ok: true, version: "2.0.12", warnings: [] });
  });

  it("reads a whole table with BGP-learned routes", () => {
    const routes = parseRoutes(fixture("show-route-all.txt"));
    expect(routes.ok && routes.prefixes.map(({ prefix, table, paths }) => [prefix, table, paths.length])).toEqual([
      ["192.0.2.0/24", "master4", 1],
      ["10.99.0.0/16", "master4", 1],
      ["203.0.113.0/24", "master4", 1],
    ]);
    expect(bestPath(routes, "10.99.0.0/16")).toEqual({
      fromProtocol: "transit_a",
      best: true,
      kind: "unreachable",
      preference: 100,
      asPath: [64601],
      communities: [],
      nextHop: "127.0.0.2",
      localPref: 100,
      med: null,
    });
  });

  it("keeps every path of a prefix and marks the best, whichever line it is on", () => {
    const text = [
      "BIRD 2.0.12 ready.",
      "Table master4:",
      "198.51.100.0/24      unicast [peer_t2 10:00:01.000] (100) [AS64502 64500i]",
      "\tvia 10.0.12.2 on t1-t2",
      "\tType: BGP univ",
      "\tBGP.as_path: 64502 64500",
      "                     unicast [customer_ams1 10:00:00.000] * (100) [AS64500i]",
      "\tvia 10.0.1.2 on t1-pop1",
      "\tType: BGP univ",
      "\tBGP.as_path: 64500 64500",
      "",
    ].join("\n");
    const routes = parseRoutes(text);
    expect(summary(routes)).toEqual([
      {
        prefix: "198.51.100.0/24",
        paths: [
          { fromProtocol: "peer_t2", best: false, asPath: [64502, 64500], communities: [] },
          { fromProtocol: "customer_ams1", best: true, asPath: [64500, 64500], communities: [] },
        ],
      },
    ]);
    expect(bestPath(routes, "198.51.100.0/24")?.fromProtocol).toBe("customer_ams1");
    expect(pathFrom(routes, "198.51.100.0/24", "peer_t2")?.asPath).toEqual([64502, 64500]);
    expect(bestPath(routes, "192.0.2.0/24")).toBeNull();
  });

  it("warns about what it cannot read and reads the rest", () => {
    const routes = parseRoutes(
      [
        "Table master4:",
        "192.0.2.0/24         unicast [up1 10:00:00.000] * (100) [AS64501 {64510 64511}i]",
        "\tBGP.as_path: 64501 {64510 64511}",
        "\tBGP.community: (64501,1) junk",
        "flow4 { dst 10.0.0.0/8; } unknown [rr 10:00:00.000 from 10.1.1.1] * (100) [i]",
        "\tbgp_path: 64999",
        "\tbgp_community: (64999,1)",
        "198.51.100.0/24      unicast [up1 10:00:00.000] * (100) [AS64501i]",
        "\tbgp_path: 64501",
        "Network not found",
      ].join("\n"),
    );
    expect(summary(routes)).toEqual([
      { prefix: "192.0.2.0/24", paths: [{ fromProtocol: "up1", best: true, asPath: [64501], communities: ["64501:1"] }] },
      // The flowspec route's attributes went with it, not onto the path above.
      { prefix: "198.51.100.0/24", paths: [{ fromProtocol: "up1", best: true, asPath: [64501], communities: [] }] },
    ]);
    expect(routes.ok && routes.warnings).toEqual([
      '192.0.2.0/24 via up1: AS path "64501 {64510 64511}" has AS sets or confederation segments; they are left out',
      '192.0.2.0/24 via up1: could not read "junk" as a community',
      "not a route line (skipped, with the lines under it): flow4 { dst 10.0.0.0/8; } unknown [rr 10:00:00.000 from 10.1.1.1] * (100) [i]",
      "not a route line (skipped, with the lines under it): Network not found",
    ]);
  });
});

describe("configureRejection", () => {
  it("accepts BIRD's answers to a taken config", () => {
    expect(configureRejection("BIRD 2.0.12 ready.\nReading configuration from /etc/bird.conf\nReconfigured\n")).toBeNull();
    expect(configureRejection("BIRD 2.0.12 ready.\nReading configuration from /etc/bird.conf\nReconfiguration in progress\n")).toBeNull();
  });
  it("returns BIRD's parse error", () => {
    expect(
      configureRejection("BIRD 2.0.12 ready.\nReading configuration from /tmp/ctmx/bird.conf\n/tmp/ctmx/catchment-prepend.conf:9:1 syntax error, unexpected CF_SYM_UNDEFINED\n"),
    ).toBe("/tmp/ctmx/catchment-prepend.conf:9:1 syntax error, unexpected CF_SYM_UNDEFINED");
  });
});

describe("the include file", () => {
  const routes = new Map([
    ["2001:db8:100::/48", { state: "withdrawn" as const, prepend: 0, communities: [] }],
    ["192.0.2.0/24", { state: "drained" as const, prepend: 2, communities: ["64500:666", "64500:1:2"] }],
  ]);
  it("has a static protocol per prefix, disabled while withdrawn, and the drain in catchment_export()", () => {
    const text = renderIncludeFile(routes, 64500);
    expect(text).toContain(`protocol static ${staticProtocolName("192.0.2.0/24")} {\n  ipv4;\n  route 192.0.2.0/24 blackhole;\n  disabled no;\n}`);
    expect(text).toContain("protocol static catchment_2001_db8_100___48 {\n  ipv6;\n  route 2001:db8:100::/48 blackhole;\n  disabled yes;\n}");
    expect(text).toContain(
      "  if net = 192.0.2.0/24 then {\n    bgp_path.prepend(64500);\n    bgp_path.prepend(64500);\n    bgp_community.add((64500,666));\n    bgp_large_community.add((64500,1,2));\n  }",
    );
    expect(parseIncludeState(text)).toEqual(routes);
  });
  it("refuses to drain by prepend without knowing the ASN", () => {
    expect(() => renderIncludeFile(routes, null)).toThrow(/ASN is unknown/);
    expect(() => renderIncludeFile(new Map([["192.0.2.0/24", { state: "announced" as const, prepend: 0, communities: [] }]]), null)).not.toThrow();
  });
});
