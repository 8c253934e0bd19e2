import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAtlasResults } from "./atlas-results";
import { chaosTxtAbuf } from "./fixtures/abuf";
import { IngestRefusedError } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

const dnsResult = (overrides: Record<string, unknown> = {}, result: Record<string, unknown> = {}) => ({
  fw: 5080,
  dst_addr: "192.0.2.53",
  af: 4,
  from: "203.0.113.17",
  msm_id: 1001001,
  prb_id: 6001,
  proto: "UDP",
  timestamp: 1767225600,
  type: "dns",
  result: { ANCOUNT: 1, QDCOUNT: 1, rt: 12.5, abuf: chaosTxtAbuf("hostname.bind", ["ams1-a.ns.example"]), ...result },
  ...overrides,
});

const parse = (...results: unknown[]) => parseAtlasResults(JSON.stringify(results));

describe("parseAtlasResults", () => {
  it("reads the fixture: answers, abuf, a resultset, an error and a ping result", () => {
    const { records, issues, errors, total } = parseAtlasResults(fixture("atlas-results.json"));
    expect(total).toBe(6);
    expect(errors).toBe(1);
    expect(records.map((r) => [r.probeExternalId, r.target, r.answer, r.rttMs])).toEqual([
      ["6001", "192.0.2.53", "ams1-a.ns.example", 12.312],
      ["6002", "192.0.2.53", "fra1-b.ns.example", 25.07],
      ["6003", "192.0.2.53", "sin1.ns.example", 181.4],
      ["6003", "198.51.100.53", "ams1-b.ns.example", 9.8],
      ["6006", "192.0.2.53", "old-box.example.net", 40.2],
    ]);
    expect(records[0]).toMatchObject({
      source: "atlas",
      popCode: null,
      measuredAt: new Date("2026-01-01T00:00:00Z"),
      probeAddress: "203.0.113.17",
      msmId: 1001001,
    });
    expect(issues).toEqual([
      { index: 4, reason: "probe reported: timeout 5000" },
      { index: 5, reason: 'not a DNS result (type "ping")' },
    ]);
  });

  it("takes the answer from `answers` when present, from abuf when not", () => {
    const withAnswers = dnsResult({}, { answers: [{ NAME: "hostname.bind.", TYPE: "TXT", RDATA: ["from-answers"] }] });
    const withoutAnswers = dnsResult({ prb_id: 6002 });
    expect(parse(withAnswers, withoutAnswers).records.map((r) => r.answer)).toEqual(["from-answers", "ams1-a.ns.example"]);
  });

  it("falls back to abuf when `answers` holds no TXT record", () => {
    const onlySoa = dnsResult({}, { answers: [{ NAME: "bind.", TYPE: "SOA", MNAME: "x.", RNAME: "y." }] });
    expect(parse(onlySoa).records[0]?.answer).toBe("ams1-a.ns.example");
  });

  it("a resultset gives one measurement per resolver, each at its own time", () => {
    const { records, issues } = parse({
      prb_id: 6003,
      timestamp: 1767225620,
      type: "dns",
      resultset: [
        { dst_addr: "192.0.2.53", time: 1767225620, result: { rt: 30, abuf: chaosTxtAbuf("id.server", ["sin1.ns.example"]) } },
        { dst_addr: "2001:db8::53", time: 1767225621, result: { rt: 31, abuf: chaosTxtAbuf("id.server", ["ams1-b.ns.example"]) } },
      ],
    });
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.target, r.answer, r.measuredAt.toISOString()])).toEqual([
      ["192.0.2.53", "sin1.ns.example", "2026-01-01T00:00:20.000Z"],
      ["2001:db8::53", "ams1-b.ns.example", "2026-01-01T00:00:21.000Z"],
    ]);
  });

  it("an error inside a resultset is counted and reported with its entry; the other resolver is kept", () => {
    const { records, issues, errors } = parse({
      prb_id: 6003,
      timestamp: 1767225620,
      type: "dns",
      resultset: [
        { dst_addr: "192.0.2.53", time: 1767225620, error: { timeout: 5000 } },
        { dst_addr: "198.51.100.53", time: 1767225621, result: { rt: 9, abuf: chaosTxtAbuf("id.server", ["fra1-a.ns.example"]) } },
      ],
    });
    expect(errors).toBe(1);
    expect(issues).toEqual([{ index: 1, reason: "resultset entry 1: probe reported: timeout 5000" }]);
    expect(records).toHaveLength(1);
  });

  it("counts error results and lists them as issues, with the probe's error text", () => {
    const { records, issues, errors } = parse(
      dnsResult({ result: undefined, error: { socket: "connect failed" } }),
      dnsResult({ result: undefined, error: "name resolution failed" }),
      dnsResult({ prb_id: 6009 }),
    );
    expect(errors).toBe(2);
    expect(records).toHaveLength(1);
    expect(issues.map((i) => i.reason)).toEqual(["probe reported: socket connect failed", "probe reported: name resolution failed"]);
  });

  it("reports non-DNS results and malformed records by index and keeps the rest", () => {
    const { records, issues } = parse(
      { ...dnsResult(), type: "traceroute" },
      "not an object",
      dnsResult({ prb_id: "abc" }),
      dnsResult({ timestamp: 1767225600000 }),
      dnsResult({}, { abuf: "EmeEAAABAAEAAAAACGhvc3RuYW1lBGJpbmQAABAAA8AMABAAAwAAAA" }),
      dnsResult({}, { abuf: undefined }),
      dnsResult({}, { rt: "fast" }),
      dnsResult({ prb_id: 6010 }),
    );
    expect(records.map((r) => r.probeExternalId)).toEqual(["6010"]);
    expect(issues.map((i) => [i.index, i.reason])).toEqual([
      [1, 'not a DNS result (type "traceroute")'],
      [2, "not a JSON object"],
      [3, 'prb_id "abc" is not a probe number'],
      [4, "timestamp 1767225600000 is not a time between 2000 and 2100 (milliseconds? Unix seconds expected)"],
      [5, expect.stringMatching(/^abuf is not a whole DNS message/)],
      [6, "result has neither answers nor abuf"],
      [7, 'rt is not a number ("fast")'],
    ]);
  });

  it("reads NDJSON and reports a broken line by record and line number", () => {
    const { records, issues, errors, total } = parseAtlasResults(fixture("atlas-results.ndjson"));
    expect(total).toBe(4);
    expect(records.map((r) => r.answer)).toEqual(["ams1-a.ns.example", "fra1-b.ns.example"]);
    expect(errors).toBe(1);
    expect(issues).toEqual([
      { index: 3, line: 3, reason: expect.stringMatching(/^not valid JSON/) },
      { index: 4, line: 5, reason: "probe reported: socket connect failed: Network is unreachable" },
    ]);
  });

  it("gives the same measurements from a JSON array and from NDJSON", () => {
    const results = [dnsResult(), dnsResult({ prb_id: 6002, timestamp: 1767225660 })];
    const fromArray = parseAtlasResults(JSON.stringify(results));
    const fromLines = parseAtlasResults(results.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const withoutPosition = (records: typeof fromArray.records) => records.map(({ position: _, ...rest }) => rest);
    expect(withoutPosition(fromLines.records)).toEqual(withoutPosition(fromArray.records));
    expect(fromLines.records.map((r) => r.position)).toEqual([{ index: 1, line: 1 }, { index: 2, line: 2 }]);
  });

  it("accepts a single result object", () => {
    expect(parseAtlasResults(JSON.stringify(dnsResult(), null, 2)).records).toHaveLength(1);
  });

  it("refuses text that is not JSON at all", () => {
    expect(() => parseAtlasResults("probe_id,lat\n1,2\n")).toThrow(IngestRefusedError);
    expect(() => parseAtlasResults("[{]")).toThrow(/does not parse/);
    expect(() => parseAtlasResults("{nope\n{nope either\n")).toThrow(/no line is a JSON object/);
    expect(() => parseAtlasResults("  \n")).toThrow(/empty/);
  });
});
