import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGeolocation } from "@/lib/ingest/geolocation";
import { streamInput, type ParseOptions } from "@/lib/ingest/parse-batch";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { storeCatchmentFile } from "./store-catchment-file";
import { popData, prefixData } from "@/test/support/factories";

// A real Verfploeter run from the Tangled testbed (AS1149, 145.100.118.0/23): ../shared/fixtures/verfploeter/SOURCES.md.
const RUN = path.resolve(import.meta.dirname, "../../../../shared/fixtures/verfploeter/verfploeter-tangled-baseline-ipv4-2022-03-02-22h35m.csv.gz");

let test: TestDatabase;
const popIds = new Map<string, number>();
beforeAll(async () => {
  test = await createTestDatabase();
  await test.db.prefix.create({ data: prefixData("145.100.118.0/23", { originAsn: 1149n, service: "tangled" }) });
  for (const [code, identity, country] of [["SYD1", "au-syd*", "AU"], ["PAR1", "fr-par*", "FR"], ["LON1", "uk-lnd*", "GB"]] as const) {
    const pop = await test.db.pop.create({
      data: popData(code, { city: code, country, latitude: 0, longitude: 0, capacityGbps: 10, identities: [identity] }),
    });
    popIds.set(code, pop.id);
  }
});
afterAll(() => test.drop());

// As the console stores it: with its own role's privileges.
const store = async (options: ParseOptions = {}) => storeCatchmentFile(test.consoleUrl, (await streamInput(createReadStream(RUN), undefined, options)) as never);

async function shares() {
  const rows = await test.db.$queryRaw<{ pop_id: number | null; probes: number }[]>`
    SELECT pop_id, count(*)::int4 AS probes FROM current_catchment GROUP BY pop_id`;
  const total = rows.reduce((sum, row) => sum + row.probes, 0);
  const code = (id: number | null) => [...popIds].find(([, popId]) => popId === id)?.[0] ?? "none";
  return { total, percent: Object.fromEntries(rows.map((row) => [code(row.pop_id), Math.floor((100 * row.probes) / total)])) };
}

describe("storing a Verfploeter run", () => {
  it("stores one client /24 per probe and gives current_catchment the run's shares (89/5/5 %, as its .stats file)", async () => {
    const result = await store();
    expect(result).toMatchObject({ total: 8926, duplicates: 10, stored: 8916, written: 8916, probesCreated: 8916, issueCount: 0 });
    expect(result.perPop).toEqual({ LON1: 449, PAR1: 457, SYD1: 8010 });
    expect(await shares()).toEqual({ total: 8916, percent: { SYD1: 89, PAR1: 5, LON1: 5 } });

    const probe = await test.db.probe.findUniqueOrThrow({ where: { source_externalId: { source: "verfploeter", externalId: "1.0.6.0/24" } } });
    expect(probe).toMatchObject({ latitude: null, longitude: null, country: "AU", region: "oceania", asnV4: 38803n });
    const rollup = await test.db.catchmentHourly.aggregate({ _sum: { answers: true } });
    expect(rollup._sum.answers).toBe(8916);
  });

  it("adds nothing when the same run is imported again", async () => {
    const before = { measurements: await test.db.measurement.count(), probes: await test.db.probe.count() };
    const result = await store();
    expect(result).toMatchObject({ stored: 8916, written: 0, alreadyStored: 8916, probesCreated: 0 });
    expect({ measurements: await test.db.measurement.count(), probes: await test.db.probe.count() }).toEqual(before);
    expect((await shares()).total).toBe(8916);
  });

  it("places the probes a geolocation file names, and writes no measurement again", async () => {
    const geolocation = parseGeolocation("prefix,lat,lon\n1.0.0.0/16,-33.87,151.21\n");
    const result = await store({ geolocation });
    expect(result.written).toBe(0);
    const placed = await test.db.probe.count({ where: { source: "verfploeter", latitude: { not: null } } });
    expect(placed).toBeGreaterThan(0);
    const probe = await test.db.probe.findUniqueOrThrow({ where: { source_externalId: { source: "verfploeter", externalId: "1.0.6.0/24" } } });
    expect(probe).toMatchObject({ latitude: -33.87, longitude: 151.21, country: "AU" });
  });
});
