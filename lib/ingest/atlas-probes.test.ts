import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAtlasProbes } from "./atlas-probes";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseAtlasProbes", () => {
  it('reads the archive as published ({ "objects": [...] }, GeoJSON [lon, lat])', () => {
    const { records, issues, total } = parseAtlasProbes(fixture("atlas-probes.json"));
    expect(total).toBe(3);
    expect(records[0]).toEqual({
      source: "atlas",
      externalId: "6001",
      lat: 52.3824,
      lon: 4.8995,
      country: "NL",
      asnV4: 3333,
      asnV6: null,
      addressV4: "203.0.113.17",
      addressV6: null,
    });
    expect(records[1]).toMatchObject({ externalId: "6002", asnV6: 3320, addressV6: "2001:db8:1::200" });
    expect(issues).toEqual([{ index: 3, reason: "probe 6007 has no coordinates" }]);
  });

  it("reads a plain array with latitude/longitude, ASNs written AS7473, lower-case countries", () => {
    const { records, issues } = parseAtlasProbes(fixture("atlas-probes-array.json"));
    expect(issues).toEqual([]);
    expect(records.map((p) => [p.externalId, p.lat, p.lon, p.country, p.asnV4])).toEqual([
      ["6003", 1.3521, 103.8198, "SG", 7473],
      ["6004", 39.9042, 116.4074, null, 4837],
    ]);
  });

  it("reports bad probes by index and keeps the rest", () => {
    const { records, issues } = parseAtlasProbes(
      JSON.stringify([
        { id: 1, latitude: 95, longitude: 0 },
        { id: 2, latitude: 1, longitude: 2, asn_v4: "ASX" },
        { id: 3, latitude: 1, longitude: 2, country_code: "Netherlands" },
        { latitude: 1, longitude: 2 },
        { id: 5, geometry: { type: "Point", coordinates: [2, 1] } },
      ]),
    );
    expect(records.map((p) => p.externalId)).toEqual(["5"]);
    expect(issues.map((i) => [i.index, i.reason])).toEqual([
      [1, "probe 1: lat 95 is outside -90..90"],
      [2, expect.stringMatching(/^probe 2: asn_v4 "ASX"/)],
      [3, 'probe 3: country "Netherlands" is not a two-letter country code'],
      [4, "id is missing"],
    ]);
  });

  it("refuses a JSON object that is neither a probe nor the archive wrapper", () => {
    expect(() => parseAtlasProbes('{"meta": {}, "results": []}')).toThrow(/objects/);
  });
});
