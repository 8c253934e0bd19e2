import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoFleet } from "@/prisma/seed";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

const now = new Date("2026-11-25T12:03:00Z");
const PROBES = 400;
let test: TestDatabase;
let getCatchmentMap: typeof import("./get-catchment-map").getCatchmentMap;
let HISTORY_WINDOW_HOURS: number;

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  const result = await seedDemoFleet(test.db, { now, probeCount: PROBES });
  if (!result.seeded) throw new Error("not seeded");
  ({ getCatchmentMap, HISTORY_WINDOW_HOURS } = await import("./get-catchment-map"));
}, 120_000);
afterAll(() => test.drop());

function columnLengths(map: Awaited<ReturnType<typeof getCatchmentMap>>) {
  return new Set(Object.values(map.probes).map((column) => column.length));
}

describe("getCatchmentMap", () => {
  it("gives each probe's current answer for a prefix, as columns, with PoPs, states and shares", async () => {
    const map = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" });
    expect(map.prefixes).toMatchObject([{ cidr: "192.0.2.0/24", service: "dns" }]);
    expect(columnLengths(map)).toEqual(new Set([PROBES]));
    expect(new Set(map.probes.id).size).toBe(PROBES);
    expect(map.latestAt! <= now.toISOString()).toBe(true);
    expect(map.simulatedProbes).toBe(PROBES);
    expect(map.unmatched).toBe(0);
    expect(map.pops).toHaveLength(20);
    expect(map.pops.every((pop) => pop.state === "announced" && pop.simulated)).toBe(true);
    expect(map.pops.reduce((sum, pop) => sum + pop.share, 0)).toBeCloseTo(1, 9);
    const ams = map.pops.find((pop) => pop.code === "AMS1")!;
    expect(ams.probes).toBe(map.probes.pop.filter((id) => id === ams.id).length);
    expect(ams.probes).toBeGreaterThan(0);
    // Answers are stored once and referenced by index.
    expect(map.answers.length).toBeLessThanOrEqual(20);
    expect(map.answers[map.probes.answer[map.probes.pop.indexOf(ams.id)]!]).toMatch(/ams1/i);
    // Every demo probe has its network: an access network (private use), or for those behind a
    // PoP's transit, that transit's (documentation ASNs).
    expect(map.probes.asn.every((asn) => asn !== null && ((asn >= 64512 && asn <= 65534) || (asn >= 64496 && asn <= 64511)))).toBe(true);
    expect(map.probes.asn.some((asn) => asn! < 64512)).toBe(true);
  });

  it("takes a prefix by id, and a service as all of its prefixes", async () => {
    const byCidr = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" });
    const byId = await getCatchmentMap(test.db, { prefix: String(byCidr.prefixes[0]!.id) });
    expect(byId.probes.id).toHaveLength(PROBES);
    const dns = await getCatchmentMap(test.db, { service: "dns" });
    expect(dns.prefixes.map((prefix) => prefix.cidr)).toEqual(["192.0.2.0/24", "2001:db8:53::/48"]);
    expect(dns.service).toBe("dns");
    expect(columnLengths(dns)).toEqual(new Set([2 * PROBES]));
  });

  it("names an unknown prefix or service", async () => {
    await expect(getCatchmentMap(test.db, { prefix: "203.0.113.0/24" })).rejects.toMatchObject({ code: "not_found", message: "There is no prefix 203.0.113.0/24." });
    // An id past Postgres's integer names no prefix: "not found", not the database's range error.
    await expect(getCatchmentMap(test.db, { prefix: "99999999999" })).rejects.toMatchObject({ code: "not_found", message: "There is no prefix 99999999999." });
    await expect(getCatchmentMap(test.db, { service: "ntp" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("at a past time, gives each probe's latest answer at or before it, within the window", async () => {
    const at = new Date(now.getTime() - 10.5 * 3600_000);
    const map = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" }, at);
    expect(map.at).toBe(at.toISOString());
    expect(map.probes.id).toHaveLength(PROBES);
    expect(map.latestAt! <= at.toISOString()).toBe(true);
    expect(map.latestAt! > new Date(at.getTime() - 3600_000).toISOString()).toBe(true);
    // Before the history, nothing within the window: an empty map, not an error.
    const before = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" }, new Date(now.getTime() - (25 + HISTORY_WINDOW_HOURS) * 3600_000));
    expect(before.probes.id).toEqual([]);
    expect(before.pops.every((pop) => pop.share === 0)).toBe(true);
  });

  it("lists a probe answered from the far side of the world as misrouted, and an unknown answer as unmatched", async () => {
    const db = test.db;
    const prefix = await db.prefix.findUniqueOrThrow({ where: { cidr: "192.0.2.0/24" } });
    const syd = await db.pop.findUniqueOrThrow({ where: { code: "SYD1" } });
    const probes = await db.probe.findMany({ where: { country: { in: ["NL", "DE", "FR", "GB"] } }, take: 2, orderBy: { id: "asc" } });
    expect(probes).toHaveLength(2);
    const later = new Date(now.getTime() + 60_000);
    await db.measurement.createMany({
      data: [
        { probeId: probes[0]!.id, prefixId: prefix.id, popId: syd.id, answer: "syd1.ns.example", rttMs: 290, measuredAt: later },
        { probeId: probes[1]!.id, prefixId: prefix.id, popId: null, answer: "who-knows", rttMs: 20, measuredAt: later },
      ],
    });
    const map = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" });
    const index = map.probes.id.indexOf(probes[0]!.id);
    const entry = map.misrouted.find((row) => row.probe === index);
    expect(entry).toMatchObject({ pop: syd.id, reasons: [{ kind: "farther", servedKm: expect.any(Number) }] });
    expect(entry!.reasons[0]).toMatchObject({ nearestKm: expect.any(Number) });
    expect(map.unmatched).toBe(1);
    const unmatched = map.probes.id.indexOf(probes[1]!.id);
    expect(map.probes.pop[unmatched]).toBeNull();
    expect(map.answers[map.probes.answer[unmatched]!]).toBe("who-knows");
    expect(map.misrouted.some((row) => row.probe === unmatched)).toBe(false);
    expect(map.pops.reduce((sum, pop) => sum + pop.share, 0)).toBeCloseTo(1 - 1 / PROBES, 9);
  });

  it("shows a probe whose country its source does not give (some RIPE Atlas probes)", async () => {
    const db = test.db;
    const prefix = await db.prefix.findUniqueOrThrow({ where: { cidr: "192.0.2.0/24" } });
    const ams = await db.pop.findUniqueOrThrow({ where: { code: "AMS1" } });
    const probe = await db.probe.create({ data: { source: "atlas", externalId: "60001", latitude: 52.1, longitude: 5.1, country: null, asnV4: 1136 } });
    await db.measurement.create({
      data: { probeId: probe.id, prefixId: prefix.id, popId: ams.id, answer: "ams1.ns.example", rttMs: 4, measuredAt: new Date(now.getTime() + 120_000) },
    });
    const map = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" });
    const index = map.probes.id.indexOf(probe.id);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(map.probes.country[index]).toBeNull();
    expect(map.probes.ext[index]).toBe("60001");
    expect(map.probes.asn[index]).toBe(1136);
  });

  it("counts a catchment scan's unplaced /24s per PoP, country and network instead of drawing them, in the shares too", async () => {
    const db = test.db;
    const prefix = await db.prefix.findUniqueOrThrow({ where: { cidr: "192.0.2.0/24" } });
    const [ams, fra] = await Promise.all(["AMS1", "FRA1"].map((code) => db.pop.findUniqueOrThrow({ where: { code } })));
    const before = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" });
    const clients = [
      { cidr: "198.51.100.0/24", pop: ams!, country: "NL", asn: 1136 },
      { cidr: "203.0.113.0/24", pop: ams!, country: "NL", asn: 3320 },
      { cidr: "192.0.2.0/24", pop: fra!, country: "DE", asn: 3320 },
    ];
    for (const client of clients) {
      const probe = await db.probe.create({ data: { source: "verfploeter", externalId: client.cidr, country: client.country, asnV4: client.asn } });
      await db.measurement.create({
        data: { probeId: probe.id, prefixId: prefix.id, popId: client.pop.id, answer: client.pop.code.toLowerCase(), measuredAt: new Date(now.getTime() + 180_000) },
      });
    }
    const map = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" });
    expect(map.probes.id).toHaveLength(before.probes.id.length);
    expect(map.total).toBe(before.total + 3);
    expect(map.omittedPoints).toBe(0);
    expect(map.unplaced.answers).toBe(3);
    expect(map.unplaced.pops).toEqual([
      { pop: ams!.id, answers: 2, countries: [{ country: "NL", answers: 2 }], asns: [{ asn: 1136, answers: 1 }, { asn: 3320, answers: 1 }] },
      { pop: fra!.id, answers: 1, countries: [{ country: "DE", answers: 1 }], asns: [{ asn: 3320, answers: 1 }] },
    ]);
    const share = (m: typeof map, id: number) => m.pops.find((pop) => pop.id === id)!;
    expect(share(map, ams!.id).probes).toBe(share(before, ams!.id).probes + 2);
    expect(map.pops.reduce((sum, pop) => sum + pop.share, 0)).toBeCloseTo(1 - map.unmatched / map.total, 9);
    // At a past time the same counts come from the window's latest answers.
    const past = await getCatchmentMap(test.db, { prefix: "192.0.2.0/24" }, new Date(now.getTime() + 240_000));
    expect(past.unplaced).toEqual(map.unplaced);
  });
});
