import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseSimpleCsv, parseSimpleNdjson } from "./simple-format";
import { IngestRefusedError } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("parseSimpleCsv", () => {
  it("reads rows with an answer or a pop, and reports bad rows by data row and file line", () => {
    const { records, issues, total } = parseSimpleCsv(fixture("measurements.csv"));
    expect(total).toBe(6);
    expect(records.map((r) => [r.probeExternalId, r.answer, r.popCode, r.rttMs, r.target, r.measuredAt.toISOString()])).toEqual([
      ["lab-1", "ams1-a.ns.example", null, 4.2, "192.0.2.0/24", "2026-01-01T00:00:00.000Z"],
      ["lab-2", null, "FRA1", 7.9, "192.0.2.0/24", "2026-01-01T00:00:00.000Z"],
      ["lab-6", "ams1-b.ns.example", null, 5.5, "198.51.100.0/24", "2025-12-31T23:01:00.000Z"],
    ]);
    expect(records[0]).toMatchObject({ source: "upload", probe: { lat: 52.37, lon: 4.9 } });
    expect(records[2]?.probe).toBeUndefined();
    expect(issues).toEqual([
      { index: 3, line: 4, reason: 'lon is not a number ("abc")' },
      { index: 4, line: 5, reason: "neither answer nor pop is given" },
      { index: 5, line: 6, reason: "has 7 fields, the header has 8" },
    ]);
  });

  it("a row with a bad quote costs only itself", () => {
    const text = 'probe_id,answer,timestamp\r\np1,"a"b,1767225600\r\np2,ams1.ns.example,1767225600\r\n';
    const { records, issues } = parseSimpleCsv(text, { source: "lab" });
    expect(records).toMatchObject([{ probeExternalId: "p2", source: "lab" }]);
    expect(issues).toEqual([{ index: 1, line: 2, reason: expect.stringMatching(/^not valid CSV \(Invalid Closing Quote/) }]);
  });

  it("accepts a byte-order mark, quoted fields, upper-case headers and blank lines", () => {
    const text = '\ufeffPROBE_ID,Answer,Timestamp,Country,Lat,Lon\n\n"p,1","ams1.ns.example",1767225600,nl,52,4\n';
    const { records } = parseSimpleCsv(text);
    expect(records).toMatchObject([{ probeExternalId: "p,1", answer: "ams1.ns.example", probe: { lat: 52, lon: 4, country: "NL" } }]);
  });

  it("refuses a file without the required header columns", () => {
    expect(() => parseSimpleCsv("id,lat,lon\n1,2,3\n")).toThrow(/lacks probe_id, timestamp, answer or pop/);
    expect(() => parseSimpleCsv("")).toThrow(IngestRefusedError);
  });

  it("rejects timestamps without a zone and lat without lon", () => {
    const text = "probe_id,answer,timestamp,lat,lon\np1,a,2026-01-01T00:00:00,,\np2,a,1767225600,52,\n";
    expect(parseSimpleCsv(text).issues.map((i) => i.reason)).toEqual([
      'timestamp "2026-01-01T00:00:00" is neither Unix seconds nor an ISO 8601 time with a zone',
      "lat and lon go together: one is missing",
    ]);
  });
});

describe("parseSimpleNdjson", () => {
  it("reads lines, with numbers as numbers or strings, and reports a broken line", () => {
    const { records, issues, total } = parseSimpleNdjson(fixture("measurements.ndjson"));
    expect(total).toBe(4);
    expect(records.map((r) => [r.probeExternalId, r.answer, r.popCode])).toEqual([
      ["lab-1", "ams1-a.ns.example", null],
      ["lab-2", null, "FRA1"],
    ]);
    expect(issues).toEqual([
      { index: 3, line: 3, reason: expect.stringMatching(/^timestamp 1767225600000 .*milliseconds/) },
      { index: 4, line: 4, reason: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it("reports records of the wrong shape", () => {
    const text = [
      "[1]",
      '{"probe_id":"p","answer":42,"timestamp":1767225600}',
      '{"probe_id":"p","pop":"AMS1","timestamp":1767225600,"rtt_ms":-1}',
    ].join("\n");
    expect(parseSimpleNdjson(text).issues.map((i) => i.reason)).toEqual([
      "not a JSON object",
      "answer is not text",
      "rtt_ms -1 is negative",
    ]);
  });
});
