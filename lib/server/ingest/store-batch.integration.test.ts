import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBatch } from "@/lib/ingest/parse-batch";
import { IngestRefusedError } from "@/lib/ingest/types";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { storeBatch, type StoredMeasurements, type StoredProbes } from "./store-batch";
import { popData, prefixData } from "@/test/support/factories";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "../../ingest/fixtures", name), "utf8");

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  const db = test.db;
  await db.prefix.create({ data: prefixData("192.0.2.0/24") });
  await db.prefix.create({ data: prefixData("198.51.100.0/24", { service: "cdn" }) });
  for (const [code, identity] of [["AMS1", "ams1-*.ns.example"], ["FRA1", "fra1.ns.example"]] as const) {
    await db.pop.create({
      data: popData(code, { city: code, capacityGbps: 10, identities: [identity] }),
    });
  }
});
afterAll(() => test.drop());

const csv = (rows: string[]) => ["probe_id,lat,lon,country,answer,pop,rtt_ms,timestamp,target", ...rows].join("\n");
const store = async (text: string, options = {}) => (await storeBatch(test.db, parseBatch(text), options)) as StoredMeasurements;
const counts = async () => ({ measurements: await test.db.measurement.count(), probes: await test.db.probe.count() });

describe("storing a measurement batch", () => {
  it("stores the good records of a partly bad batch and names the bad ones by index", async () => {
    const result = await store(
      csv([
        "u1,52.1,4.9,NL,ams1-a.ns.example,,11.5,2026-11-25T10:00:00Z,192.0.2.53",
        "u2,50.1,8.7,,,FRA1,9,2026-11-25T10:00:00Z,cdn",
        "u3,not-a-latitude,8.7,DE,fra1.ns.example,,9,2026-11-25T10:00:00Z,dns",
        "u4,48.8,2.3,FR,mystery.example,,20,2026-11-25T10:00:00Z,192.0.2.53",
        "u5,48.8,2.3,FR,fra1.ns.example,,20,2026-11-25T10:00:00Z,203.0.113.5",
        "u6,,,,fra1.ns.example,,20,2026-11-25T10:00:00Z,dns",
        "u7,48.8,2.3,FR,,XYZ9,20,2026-11-25T10:00:00Z,dns",
      ]),
    );
    expect(result.written).toBe(3);
    expect(result.probesCreated).toBe(3);
    expect(result.perPop).toEqual({ AMS1: 1, FRA1: 1 });
    expect(result.unmatched).toEqual([{ answer: "mystery.example", count: 1 }]);
    expect(result.issues.map(({ index, reason }) => ({ index, reason }))).toEqual([
      { index: 3, reason: expect.stringContaining("lat") },
      { index: 5, reason: "203.0.113.5 is in none of the fleet's prefixes" },
      { index: 6, reason: "probe u6 is unknown: send its lat and lon, or ingest the probe archive first" },
      { index: 7, reason: "pop XYZ9 is not a PoP of this fleet" },
    ]);

    const stored = await test.db.measurement.findMany({
      include: { probe: true, prefix: true, pop: true },
      orderBy: { probe: { externalId: "asc" } },
    });
    expect(stored.map((m) => [m.probe.externalId, m.prefix.cidr, m.pop?.code ?? null, m.answer, m.rttMs])).toEqual([
      ["u1", "192.0.2.0/24", "AMS1", "ams1-a.ns.example", 11.5],
      ["u2", "198.51.100.0/24", "FRA1", "FRA1", 9],
      ["u4", "192.0.2.0/24", null, "mystery.example", 20],
    ]);
    // A probe without a country is stored without one.
    expect((await test.db.probe.findFirstOrThrow({ where: { externalId: "u2" } })).country).toBeNull();
    // The current catchment follows.
    expect(await test.db.currentCatchment.count()).toBe(3);
  });

  it("adds nothing when the same results are sent again", async () => {
    const text = csv(["r1,40.4,-3.7,ES,fra1.ns.example,,30,1764064800,dns", "r1,40.4,-3.7,ES,fra1.ns.example,,31,1764064860,dns"]);
    const first = await store(text);
    const before = await counts();
    const again = await store(text);
    expect(first).toMatchObject({ written: 2, alreadyStored: 0 });
    expect(again).toMatchObject({ written: 0, alreadyStored: 2, probesCreated: 0 });
    expect(await counts()).toEqual(before);
  });

  it("refuses a batch with nothing storable and writes nothing, not even its probes", async () => {
    const before = await counts();
    const refusal = await store(csv(["n1,10,10,GH,fra1.ns.example,,5,2026-11-25T10:00:00Z,203.0.113.9"])).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(IngestRefusedError);
    expect((refusal as IngestRefusedError).code).toBe("all_bad");
    expect((refusal as IngestRefusedError).message).toContain("record 1: 203.0.113.9 is in none of the fleet's prefixes");
    expect(await counts()).toEqual(before);
  });

  it("writes a batch atomically: a failure part-way leaves nothing of it", async () => {
    // The database refuses one row past the first bulk chunk (a trigger stands in for any
    // failure there: a lost connection, a full disk).
    await test.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.answer = 'poison.example' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await test.db.$executeRawUnsafe(`CREATE TRIGGER refuse_poison BEFORE INSERT ON measurement FOR EACH ROW EXECUTE FUNCTION refuse_poison()`);
    try {
      const before = await counts();
      const rows = Array.from({ length: 20_001 }, (_, i) => `a${i},1,1,GH,fra1.ns.example,,5,${1764064800 + i},dns`);
      rows.push("zz,1,1,GH,poison.example,,5,1764064800,dns");
      await expect(store(csv(rows))).rejects.toThrow(/refused by the test/);
      expect(await counts()).toEqual(before);
    } finally {
      await test.db.$executeRawUnsafe("DROP TRIGGER refuse_poison ON measurement");
    }
  });

  it("maps RIPE Atlas results to the prefix holding dst_addr, under the source the caller gives", async () => {
    const probes = (await storeBatch(
      test.db,
      parseBatch(JSON.stringify([{ id: 7001, latitude: 52.3, longitude: 4.9, country_code: "NL", asn_v4: 3333, address_v4: "203.0.113.7" }]), "atlas-probes"),
      { source: "lab" },
    )) as StoredProbes;
    expect(probes).toMatchObject({ created: 1, updated: 0 });
    const result = dnsResult(7001, "192.0.2.1", "ams1-b.ns.example");
    const stored = await store(JSON.stringify([result]), { source: "lab" });
    expect(stored).toMatchObject({ written: 1, perPop: { AMS1: 1 } });
    const probe = await test.db.probe.findUniqueOrThrow({ where: { source_externalId: { externalId: "7001", source: "lab" } } });
    const row = await test.db.currentCatchment.findFirstOrThrow({ where: { probeId: probe.id } });
    const [pop, prefix] = await Promise.all([test.db.pop.findUniqueOrThrow({ where: { id: row.popId! } }), test.db.prefix.findUniqueOrThrow({ where: { id: row.prefixId } })]);
    expect([pop.code, prefix.cidr]).toEqual(["AMS1", "192.0.2.0/24"]);

    // The same probe id under another source is another probe, unknown here.
    await expect(store(JSON.stringify([result]))).rejects.toThrow(/probe 7001 is unknown/);
  });

  it("stores the parser fixtures end to end", async () => {
    const probes = (await storeBatch(test.db, parseBatch(fixture("atlas-probes.json")))) as StoredProbes;
    expect(probes.created).toBeGreaterThan(0);
    const result = await store(fixture("atlas-results.json"), { prefix: "dns" });
    expect(result.written).toBeGreaterThan(0);
    expect(result.errors).toBeGreaterThan(0);
  });
});

function dnsResult(probe: number, dst: string, answer: string) {
  return {
    fw: 5080,
    type: "dns",
    msm_id: 1_000_001,
    prb_id: probe,
    timestamp: 1764064800,
    from: "203.0.113.7",
    dst_addr: dst,
    af: 4,
    proto: "UDP",
    result: { rt: 12.3, answers: [{ TYPE: "TXT", NAME: "hostname.bind", RDATA: [answer] }] },
  };
}
