import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe("the current catchment", () => {
  it("follows every insert into measurement, keeping only each probe's latest answer per prefix", async () => {
    const db = test.db;
    const prefix = await db.prefix.create({ data: prefixData("192.0.2.0/24") });
    const [ams, fra] = await Promise.all(
      ["AMS1", "FRA1"].map((code) => db.pop.create({ data: popData(code, { city: code, capacityGbps: 10 }) })),
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

  it("records flips in time order, and counts answers per hour and RTT per region, once per stored row", async () => {
    const db = test.db;
    const prefix = await db.prefix.create({ data: prefixData("198.51.100.0/24", { service: "cdn" }) });
    // One after the other, so their ids are in this order (the counts below are read by id).
    const pops = [];
    for (const code of ["LHR1", "CDG1", "MAD1"]) {
      pops.push(await db.pop.create({ data: popData(code, { city: code, country: "GB", latitude: 51, longitude: 0, capacityGbps: 10 }) }));
    }
    const [lhr, cdg, mad] = pops.map((pop) => pop.id) as [number, number, number];
    const probe = await db.probe.create({ data: { source: "atlas", externalId: "2002", latitude: 48, longitude: 2, country: "FR", region: "europe" } });
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 12, minute));
    const insert = (rows: [number | null, number, number][]) =>
      db.$executeRaw`
        INSERT INTO measurement (probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at)
        SELECT ${probe.id}, ${prefix.id}, pop_id, 'x', rtt, to_timestamp(ms / 1000.0) AT TIME ZONE 'UTC'
          FROM unnest(${rows.map((r) => r[0])}::int4[], ${rows.map((r) => r[1])}::float8[], ${rows.map((r) => at(r[2]).getTime())}::float8[]) AS t(pop_id, rtt, ms)
        ON CONFLICT DO NOTHING`;
    const flips = async () =>
      (await db.catchmentFlip.findMany({ where: { prefixId: prefix.id }, orderBy: { at: "asc" } })).map((f) => [f.fromPopId, f.toPopId, f.at.getUTCMinutes()]);

    await insert([[lhr, 10.4, 10], [cdg, 11.6, 20], [cdg, 11.2, 25]]); // one statement: one flip inside it
    await insert([[mad, 30, 30]]); // against the current answer
    await insert([[lhr, 10, 15]]); // late and older: rewrites no history
    await insert([[null, 50, 40], [lhr, 9.9, 50]]); // an unmatched answer between two PoPs
    expect(await flips()).toEqual([[lhr, cdg, 20], [cdg, mad, 30], [mad, lhr, 50]]);

    // Sent again: nothing stored, nothing counted twice.
    await insert([[lhr, 10.4, 10], [cdg, 11.6, 20]]);
    const hourly = await db.catchmentHourly.findMany({ where: { prefixId: prefix.id }, orderBy: { popId: "asc" } });
    expect(hourly.map((h) => [h.popId, h.answers, h.bucket.toISOString()])).toEqual([
      [lhr, 3, "2026-11-25T12:00:00.000Z"],
      [cdg, 2, "2026-11-25T12:00:00.000Z"],
      [mad, 1, "2026-11-25T12:00:00.000Z"],
    ]);
    const rtt = await db.rttHourly.findMany({ where: { prefixId: prefix.id }, orderBy: { rttMs: "asc" } });
    expect(rtt.map((r) => [r.region, r.rttMs, r.answers])).toEqual([
      ["europe", 9, 1],
      ["europe", 10, 2],
      ["europe", 11, 2],
      ["europe", 30, 1],
      ["europe", 50, 1],
    ]);
    expect(await flips()).toHaveLength(3);
  });

  it("follows deletes as foreign keys would: a probe or prefix takes its rows along, a PoP leaves its answers unmatched", async () => {
    const db = test.db;
    const prefix = await db.prefix.create({ data: prefixData("203.0.113.0/24", { service: "ntp" }) });
    const other = await db.prefix.create({ data: prefixData("2001:db8:7::/48", { service: "ntp" }) });
    const pop = await db.pop.create({ data: popData("OSL1", { name: "Oslo", city: "Oslo", country: "NO", latitude: 59.9, longitude: 10.7, capacityGbps: 10 }) });
    const [kept, gone] = await Promise.all(["3001", "3002"].map((externalId) => db.probe.create({ data: { source: "atlas", externalId, latitude: 60, longitude: 10, country: "NO" } })));
    const rows = (probeId: number) => [prefix.id, other.id].map((prefixId) => ({ probeId, prefixId, popId: pop.id, answer: "osl1", measuredAt: new Date() }));
    await db.measurement.createMany({ data: [...rows(kept!.id), ...rows(gone!.id)] });
    const mine = () => db.currentCatchment.findMany({ where: { prefixId: { in: [prefix.id, other.id] } }, orderBy: [{ probeId: "asc" }, { prefixId: "asc" }] });
    expect(await mine()).toHaveLength(4);

    await db.probe.delete({ where: { id: gone!.id } });
    expect((await mine()).map((row) => row.probeId)).toEqual([kept!.id, kept!.id]);
    await db.prefix.delete({ where: { id: other.id } });
    expect((await mine()).map((row) => row.prefixId)).toEqual([prefix.id]);
    await db.pop.delete({ where: { id: pop.id } });
    expect(await mine()).toEqual([expect.objectContaining({ probeId: kept!.id, prefixId: prefix.id, popId: null, answer: "osl1" })]);
  });
});

