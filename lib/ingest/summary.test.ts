import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAtlasResults } from "./atlas-results";
import { parseBatch } from "./parse-batch";
import { renderSummaryText, summarise, summariseProbes } from "./summary";
import { IngestRefusedError, measurementKey, type ParsedMeasurement, type ParseResult } from "./types";
import { parseAtlasProbes } from "./atlas-probes";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const pops = JSON.parse(fixture("pops.json"));

const measurement = (overrides: Partial<ParsedMeasurement>): ParsedMeasurement => ({
  position: { index: 1 },
  source: "upload",
  probeExternalId: "p1",
  target: "192.0.2.0/24",
  answer: null,
  popCode: null,
  rttMs: 10,
  measuredAt: new Date("2026-01-01T00:00:00Z"),
  ...overrides,
});
const batch = (records: ParsedMeasurement[]): ParseResult<ParsedMeasurement> => ({
  records,
  issues: [],
  errors: 0,
  total: records.length,
});

describe("summarise", () => {
  it("counts per PoP, lists unmatched answers by count, and carries the errors and issues", () => {
    const summary = summarise(parseAtlasResults(fixture("atlas-results.json")), pops);
    expect(summary).toMatchObject({
      kind: "measurements",
      total: 6,
      parsed: 5,
      stored: 5,
      duplicates: 0,
      errors: 1,
      issueCount: 2,
      popsGiven: true,
      perPop: { AMS1: 2, FRA1: 1, SIN1: 1 },
      unmatched: [{ answer: "old-box.example.net", count: 1 }],
      ambiguous: [],
      dateRange: { from: "2026-01-01T00:00:00.000Z", to: "2026-01-01T00:00:50.000Z" },
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it("without PoPs, lists every answer by text and counts only records naming their PoP", () => {
    const summary = summarise(
      batch([
        measurement({ answer: "b.example", probeExternalId: "1" }),
        measurement({ answer: "a.example", probeExternalId: "2" }),
        measurement({ answer: "a.example", probeExternalId: "3" }),
        measurement({ popCode: "AMS1", probeExternalId: "4" }),
      ]),
    );
    expect(summary.popsGiven).toBe(false);
    expect(summary.perPop).toEqual({ AMS1: 1 });
    expect(summary.unmatched).toEqual([
      { answer: "a.example", count: 2 },
      { answer: "b.example", count: 1 },
    ]);
  });

  it("counts a measurement repeated in the batch once", () => {
    const again = measurement({ answer: "ams1.ns.example" });
    const summary = summarise(batch([again, { ...again }, measurement({ answer: "ams1.ns.example", target: "198.51.100.0/24" })]), pops);
    expect(summary).toMatchObject({ parsed: 3, stored: 2, duplicates: 1, perPop: { AMS1: 2 } });
    expect(measurementKey(again)).toBe("upload|p1|192.0.2.0/24|2026-01-01T00:00:00.000Z");
  });

  it("reports ambiguous answers and PoP codes that are not among the PoPs given", () => {
    const summary = summarise(
      batch([measurement({ answer: "edge.example", probeExternalId: "1" }), measurement({ popCode: "XXX9", probeExternalId: "2" })]),
      [
        { code: "A", identities: ["edge.example"] },
        { code: "B", identities: ["edge.example"] },
      ],
    );
    expect(summary.ambiguous).toEqual([{ answer: "edge.example", pops: ["A", "B"], count: 1 }]);
    expect(summary.unknownPops).toEqual([{ code: "XXX9", count: 1 }]);
    expect(summary.perPop).toEqual({});
  });

  it("lists the first 50 issues and counts them all", () => {
    const issues = Array.from({ length: 70 }, (_, i) => ({ index: i + 1, reason: "bad" }));
    const summary = summarise({ records: [measurement({ answer: "x" })], issues, errors: 0, total: 71 });
    expect(summary.issueCount).toBe(70);
    expect(summary.issues).toHaveLength(50);
    expect(renderSummaryText(summary)).toContain("...and 20 more");
  });

  it("renders text a person can act on", () => {
    const text = renderSummaryText(summarise(parseAtlasResults(fixture("atlas-results.json")), pops));
    expect(text).toContain("6 records read: 5 measurements, 5 to store");
    expect(text).toMatch(/Per PoP:\n {2}AMS1 {2}2\n {2}FRA1 {2}1\n {2}SIN1 {2}1/);
    expect(text).toContain("Answers matching no PoP:\n       1  old-box.example.net");
    expect(text).toContain("record 4: probe reported: timeout 5000");
  });
});

describe("summariseProbes", () => {
  it("counts probes per country and repeated probes once", () => {
    const result = parseAtlasProbes(fixture("atlas-probes-array.json"));
    const summary = summariseProbes({ ...result, records: [...result.records, result.records[0]!] });
    expect(summary).toMatchObject({ kind: "probes", parsed: 3, stored: 2, duplicates: 1, perCountry: { "??": 1, SG: 1 } });
  });
});

describe("parseBatch", () => {
  it("detects the format when none is given", () => {
    expect(parseBatch(fixture("atlas-probes.json")).kind).toBe("probes");
    expect(parseBatch(fixture("measurements.csv"))).toMatchObject({ kind: "measurements", format: "csv" });
  });

  it("refuses a batch with no usable record, naming the first reason", () => {
    const allBad = [{ type: "ping", prb_id: 1 }, { type: "dns", prb_id: 2, timestamp: 1767225600, error: { timeout: 5000 } }];
    const attempt = () => parseBatch(JSON.stringify(allBad), "atlas");
    expect(attempt).toThrow(IngestRefusedError);
    expect(attempt).toThrow('None of the 2 records can be stored; record 1: not a DNS result (type "ping").');
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: "all_bad", issues: [{ index: 1 }, { index: 2 }] });
    }
  });

  it("refuses an input that is not the format it is said to be", () => {
    expect(() => parseBatch(fixture("atlas-results.json"), "csv")).toThrow(/lacks probe_id/);
    expect(() => parseBatch(fixture("measurements.csv"), "atlas")).toThrow(/^Not RIPE Atlas DNS results/);
    expect(() => parseBatch("[]", "atlas")).toThrow("The batch holds no records.");
  });
});
