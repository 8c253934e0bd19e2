import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe("the current catchment", () => {
  it("follows every insert into measurement, keeping only each probe's latest answer per prefix", async () => {
    const db = test.db;
    const prefix = await db.prefix.create({ data: { cidr: "192.0.2.0/24", family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 1 } });
    const [ams, fra] = await Promise.all(
      ["AMS1", "FRA1"].map((code) => db.pop.create({ data: { code, name: code, city: code, country: "NL", latitude: 52, longitude: 5, region: "europe", capacityGbps: 10 } })),
    );
    const probe = await db.probe.create({ data: { source: "atlas", externalId: "1001", latitude: 50, longitude: 4, country: "BE" } });
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 12, minute));
    const current = () => db.currentCatchment.findUniqueOrThrow({ where: { probeId_prefixId: { probeId: probe.id, prefixId: prefix.id } } });

    // One statement with several answers: the latest wins.
    await db.measurement.createMany({
      data: [
        { probeId: probe.id, prefixId: prefix.id, popId: ams!.id, answer: "ams1", rttMs: 9, measuredAt: at(10) },
        { probeId: probe.id, prefixId: prefix.id, popId: fra!.id, answer: "fra1", rttMs: 12, measuredAt: at(20) },
      ],
    });
    expect(await current()).toMatchObject({ popId: fra!.id, answer: "fra1", measuredAt: at(20) });

    // An older answer arriving late changes nothing.
    await db.measurement.create({ data: { probeId: probe.id, prefixId: prefix.id, popId: ams!.id, answer: "ams1", measuredAt: at(15) } });
    expect(await current()).toMatchObject({ popId: fra!.id, measuredAt: at(20) });

    // A newer unmatched answer is current too: the probe is served by no known PoP.
    await db.$executeRaw`INSERT INTO measurement (probe_id, prefix_id, pop_id, answer, measured_at) VALUES (${probe.id}, ${prefix.id}, NULL, 'mystery', ${at(30)})`;
    expect(await current()).toMatchObject({ popId: null, answer: "mystery" });
    expect(await db.currentCatchment.count()).toBe(1);
  });
});
