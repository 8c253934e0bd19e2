// The lab's topology as data: who peers with whom, addresses, ASNs, names. Pure (no I/O), so
// the BIRD configs and the console seed are rendered from one description.
//
//            T6 ---- T1 ---- T2
//            |       |        |
//            T5      AMS1    FRA1          six transit ASes in a ring (peers, local-pref 100);
//            |                |            PoPs are customers of T1..T4 (local-pref 200);
//            T4 ---- T3 ------+            one client network behind each transit.
//            |       |
//           SIN1    NYC1
//
// T1-T2-T3-T4-T5-T6-T1 is the ring. T5 and T6 have no PoP: their clients reach the anycast
// prefix through a peer and pick the shortest AS path, so a drain (prepend) moves them. Clients
// behind T1..T4 stay on their transit's own PoP while it is drained (customer beats peer), and
// move only on a withdraw.

export const LAB_ASN = 64500;
export const ANYCAST_PREFIX = "198.51.100.0/24";
export const ANYCAST_ADDRESS = "198.51.100.53";
export const AGENT_PORT = 8080;
/** Lab BGP timers (BIRD's defaults, hold 240 s, would make the lab slow). */
export const BIRD_TIMERS = "hold time 6; keepalive time 2; connect delay time 1; connect retry time 2; error wait time 1,5;";

export type LabPop = {
  index: number;
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  region: "europe" | "north_america" | "asia";
  /** The answer to CHAOS TXT hostname.bind: what the console matches to this PoP. */
  identity: string;
  transit: number;
};

export type LabClient = {
  index: number;
  /** The RIPE Atlas-style probe id the lab posts results under. */
  probeId: number;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  transit: number;
};

export const TRANSITS = [1, 2, 3, 4, 5, 6] as const;
export const transitAsn = (transit: number) => 64600 + transit;

export const POPS: LabPop[] = [
  { index: 1, code: "AMS1", name: "Amsterdam (lab)", city: "Amsterdam", country: "NL", latitude: 52.37, longitude: 4.9, region: "europe", identity: "ams1.lab.catchment", transit: 1 },
  { index: 2, code: "FRA1", name: "Frankfurt (lab)", city: "Frankfurt", country: "DE", latitude: 50.11, longitude: 8.68, region: "europe", identity: "fra1.lab.catchment", transit: 2 },
  { index: 3, code: "NYC1", name: "New York (lab)", city: "New York", country: "US", latitude: 40.71, longitude: -74.01, region: "north_america", identity: "nyc1.lab.catchment", transit: 3 },
  { index: 4, code: "SIN1", name: "Singapore (lab)", city: "Singapore", country: "SG", latitude: 1.29, longitude: 103.85, region: "asia", identity: "sin1.lab.catchment", transit: 4 },
];

export const CLIENTS: LabClient[] = [
  { index: 1, probeId: 960001, city: "Rotterdam", country: "NL", latitude: 51.92, longitude: 4.48, transit: 1 },
  { index: 2, probeId: 960002, city: "Munich", country: "DE", latitude: 48.14, longitude: 11.58, transit: 2 },
  { index: 3, probeId: 960003, city: "Boston", country: "US", latitude: 42.36, longitude: -71.06, transit: 3 },
  { index: 4, probeId: 960004, city: "Kuala Lumpur", country: "MY", latitude: 3.14, longitude: 101.69, transit: 4 },
  { index: 5, probeId: 960005, city: "Sydney", country: "AU", latitude: -33.87, longitude: 151.21, transit: 5 },
  { index: 6, probeId: 960006, city: "London", country: "GB", latitude: 51.51, longitude: -0.13, transit: 6 },
];

/** The ring: transit i peers with i+1 (and 6 with 1). Link k joins transit k and k+1. */
export const RING: Array<{ link: number; a: number; b: number }> = TRANSITS.map((a) => ({ link: a, a, b: (a % TRANSITS.length) + 1 }));

/** Names for one lab instance: several labs (a user's, the tests', the bench's) can coexist. */
export function labNames(instance: number) {
  if (!Number.isInteger(instance) || instance < 0 || instance > 9) throw new Error(`lab instance must be 0-9, not ${instance}`);
  const p = `ctm${instance}`;
  return {
    prefix: p,
    transitNs: (t: number) => `${p}-t${t}`,
    popNs: (pop: number) => `${p}-p${pop}`,
    clientNs: (c: number) => `${p}-c${c}`,
    /** Interface names stay under 15 characters: ctm0-r1a / ctm0-r1b etc. */
    ringVeth: (link: number, side: "a" | "b") => `${p}-r${link}${side}`,
    popVeth: (pop: number, side: "t" | "p") => `${p}-p${pop}${side}`,
    clientVeth: (c: number, side: "t" | "c") => `${p}-c${c}${side}`,
    mgmtVeth: (pop: number, side: "h" | "p") => `${p}-m${pop}${side}`,
    /** Root-namespace side of the management link: 10.(240+instance).pop.1/30; the PoP side is .2. */
    mgmtHost: (pop: number) => `10.${240 + instance}.${pop}.1`,
    mgmtPop: (pop: number) => `10.${240 + instance}.${pop}.2`,
  };
}

export const addresses = {
  ring: (link: number, side: "a" | "b") => `10.1.${link}.${side === "a" ? 1 : 2}`,
  popTransitSide: (pop: number) => `10.2.${pop}.1`,
  popSide: (pop: number) => `10.2.${pop}.2`,
  clientTransitSide: (c: number) => `10.3.${c}.1`,
  client: (c: number) => `10.3.${c}.2`,
  clientNet: (c: number) => `10.3.${c}.0/30`,
};

export function agentUrl(instance: number, pop: number): string {
  return `http://${labNames(instance).mgmtPop(pop)}:${AGENT_PORT}`;
}

/** BIRD config of transit router t: its customer PoP (if any), its ring peers, its client network. */
export function transitBirdConfig(instance: number, t: number): string {
  const names = labNames(instance);
  const asn = transitAsn(t);
  const pop = POPS.find((candidate) => candidate.transit === t);
  const clients = CLIENTS.filter((client) => client.transit === t);
  const lines = [
    `# Lab transit T${t} (AS${asn}), written by lab/ (do not edit)`,
    `router id 10.0.0.${t};`,
    "protocol device { scan time 10; }",
    `protocol direct clients { ipv4; interface ${clients.map((client) => `"${names.clientVeth(client.index, "t")}"`).join(", ") || '"none"'}; }`,
    "protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; }",
    // Customer over peer: the realistic policy that keeps a PoP's own transit on it while drained.
    `filter from_customer { if net ~ [ ${ANYCAST_PREFIX} ] then { bgp_local_pref = 200; accept; } reject; }`,
    "filter from_peer { bgp_local_pref = 100; accept; }",
  ];
  if (pop) {
    lines.push(
      `protocol bgp customer_${pop.code.toLowerCase()} {`,
      `  local ${addresses.popTransitSide(pop.index)} as ${asn}; neighbor ${addresses.popSide(pop.index)} as ${LAB_ASN};`,
      `  ${BIRD_TIMERS}`,
      "  ipv4 { import filter from_customer; export none; };",
      "}",
    );
  }
  for (const { link, a, b } of RING) {
    if (a !== t && b !== t) continue;
    const side = a === t ? "a" : "b";
    const other = a === t ? b : a;
    lines.push(
      `protocol bgp peer_t${other} {`,
      `  local ${addresses.ring(link, side)} as ${asn}; neighbor ${addresses.ring(link, side === "a" ? "b" : "a")} as ${transitAsn(other)};`,
      `  ${BIRD_TIMERS}`,
      "  ipv4 { import filter from_peer; export all; };",
      "}",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** BIRD config of a PoP: the agent's included file (statics + catchment_export()) and one upstream. */
export function popBirdConfig(pop: LabPop, includeFile: string): string {
  return [
    `# Lab PoP ${pop.code} (AS${LAB_ASN}), written by lab/ (do not edit)`,
    `router id 10.0.1.${pop.index};`,
    "timeformat protocol iso long;",
    "protocol device { scan time 10; }",
    `include "${includeFile}";`,
    "filter catchment_out { if source != RTS_STATIC then reject; catchment_export(); accept; }",
    `protocol bgp transit_t${pop.transit} {`,
    `  local ${addresses.popSide(pop.index)} as ${LAB_ASN}; neighbor ${addresses.popTransitSide(pop.index)} as ${transitAsn(pop.transit)};`,
    `  ${BIRD_TIMERS}`,
    "  ipv4 { import none; export filter catchment_out; };",
    "}",
    "",
  ].join("\n");
}

/** Which PoP each client should reach, by BGP's rules, for a fleet state (for tests to state expectations). */
export type PopState = "announced" | "drained" | "withdrawn";
