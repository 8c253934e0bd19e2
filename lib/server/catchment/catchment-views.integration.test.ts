import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBatch } from "@/lib/ingest/parse-batch";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

let test: TestDatabase;
let getCatchmentHistory: typeof import("./get-catchment-history").getCatchmentHistory;
let lookupProbe: typeof import("./lookup-probe").lookupProbe;
let prefixId: number;

const now = Date.now();
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  ({ getCatchmentHistory } = await import("./get-catchment-history"));
  ({ lookupProbe } = await import("./lookup-probe"));
  const { storeBatch } = await import("../ingest/store-batch");
  const db = test.db;
  prefixId = (await db.prefix.create({ data: prefixData("192.0.2.0/24") })).id;
  for (const code of ["AMS1", "FRA1"]) {
    await db.pop.create({ data: popData(code, { city: code, capacityGbps: 10, identities: [`${code.toLowerCase()}.ns.example`] }) });
  }
  await storeBatch(db, parseBatch(JSON.stringify([
    { id: 101, latitude: 52.1, longitude: 4.3, country_code: "NL", asn_v4: 1136, address_v4: "203.0.113.10" },
    { id: 102, latitude: 40.4, longitude: -3.7, country_code: "ES", asn_v4: 3352, address_v4: "203.0.113.20" },
  ]), "atlas-probes"));
  const rows = [
    // Probe 101 moves AMS1 -> FRA1 -> AMS1; 102 stays on FRA1.
    `101,,,ams1.ns.example,10,${minutesAgo(50)}`,
    `101,,,fra1.ns.example,14,${minutesAgo(30)}`,
    `101,,,ams1.ns.example,11,${minutesAgo(10)}`,
    `102,,,fra1.ns.example,30,${minutesAgo(40)}`,
    `102,,,fra1.ns.example,32,${minutesAgo(20)}`,
  ];
  await storeBatch(db, parseBatch(["probe_id,lat,lon,answer,rtt_ms,timestamp", ...rows].join("\n")), { source: "atlas" });
});
afterAll(() => test.drop());

describe("catchment history", () => {
  it("gives shares per PoP that add up, medians per region, and the probes that flipped", async () => {
    const history = await getCatchmentHistory(test.db, [prefixId], 24);
    const shares = history.shares.points.map((point) => history.shares.keys.reduce((sum, key) => sum + Number(point[`p${key.popId}`] ?? 0), 0));
    expect(shares.every((total) => Math.abs(total - 1) < 1e-9)).toBe(true);
    expect(history.shares.keys.map((k) => k.label).sort()).toEqual(["AMS1", "FRA1"]);
    expect(history.rtt.regions).toEqual(["europe"]);
    expect(history.flips).toMatchObject({ total: 2, probes: 1, transitions: expect.arrayContaining([{ fromCode: "AMS1", toCode: "FRA1", flips: 1 }, { fromCode: "FRA1", toCode: "AMS1", flips: 1 }]) });
    expect(history.flips.probesList).toEqual([expect.objectContaining({ externalId: "101", flips: 2, lastFrom: "FRA1", lastTo: "AMS1", country: "NL" })]);
  });
});

describe("which PoP served this?", () => {
  it("finds a probe by id or by address, with its latest answers and its moves", async () => {
    const byId = await lookupProbe(test.db, "101");
    expect(byId.kind).toBe("probe");
    if (byId.kind !== "probe") return;
    expect(byId.current).toEqual([expect.objectContaining({ prefix: "192.0.2.0/24", popCode: "AMS1", rttMs: 11 })]);
    expect(byId.history.map((a) => [a.popCode, a.moved])).toEqual([["AMS1", true], ["FRA1", true], ["AMS1", false]]);

    const byAddress = await lookupProbe(test.db, "203.0.113.20");
    expect(byAddress.kind === "probe" && byAddress.probe.externalId).toBe("102");
  });

  it("says when nothing matches, and lists probes in the same /24", async () => {
    const nearby = await lookupProbe(test.db, "203.0.113.99");
    expect(nearby).toMatchObject({ kind: "none", nearby: [expect.objectContaining({ externalId: "101" }), expect.objectContaining({ externalId: "102" })] });
    expect(await lookupProbe(test.db, "99999")).toEqual({ kind: "none", query: "99999", nearby: [] });
  });

  it("finds a catchment scan's probe by any address in its /24, with no location", async () => {
    const probe = await test.db.probe.create({ data: { source: "verfploeter", externalId: "198.51.100.0/24", country: "NL", asnV4: 1136 } });
    await test.db.measurement.create({ data: { probeId: probe.id, prefixId, popId: null, answer: "nl-ams-anycast01", measuredAt: new Date() } });
    const found = await lookupProbe(test.db, "198.51.100.77");
    expect(found).toMatchObject({ kind: "probe", probe: { externalId: "198.51.100.0/24", source: "verfploeter", lat: null, lon: null }, current: [{ answer: "nl-ams-anycast01" }] });
  });
});
