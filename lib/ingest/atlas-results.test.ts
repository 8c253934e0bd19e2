import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAtlasResults } from "./atlas-results";
import { chaosTxtAbuf, chaosTxtResponse, cnameResponse, nsidResponse } from "./fixtures/abuf";
import { IngestRefusedError, type ParsedMeasurement } from "./types";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
// Real results (see ../shared/fixtures/atlas-anycast/SOURCES.md); the identities below were
// checked against a separate decoding of each abuf.
const anycast = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../../shared/fixtures/atlas-anycast", name), "utf8");

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

  it("takes the NSID when the response has no TXT answer, and a CNAME target when it has neither", () => {
    const abuf = (wire: Buffer) => ({ abuf: wire.toString("base64") });
    const { records, issues } = parse(
      dnsResult({ prb_id: 6001 }, abuf(nsidResponse("ams01.l.root-servers.org"))),
      dnsResult({ prb_id: 6002 }, abuf(cnameResponse("id.server.on.quad9.net", "res110.mia.on.quad9.net."))),
      dnsResult({ prb_id: 6003 }, abuf(nsidResponse(Buffer.from([0xde, 0xad, 0x01])))),
    );
    expect(issues).toEqual([]);
    expect(records.map((r) => r.answer)).toEqual(["ams01.l.root-servers.org", "res110.mia.on.quad9.net", "dead01"]);
  });

  it("prefers a TXT answer to the NSID, and the NSID to a CNAME target; an empty one gives way", () => {
    const cname = { type: "CNAME", class: "IN", name: "fr", ttl: 0, data: "res1.example" } as const;
    const txt = (data: string) => ({ type: "TXT", class: "IN", name: "fr", ttl: 0, data }) as const;
    const answer = (wire: Buffer) => parse(dnsResult({}, { abuf: wire.toString("base64") })).records[0]?.answer;
    expect(answer(nsidResponse("nsid-id", [txt("txt-id"), cname]))).toBe("txt-id");
    expect(answer(nsidResponse("nsid-id", [cname]))).toBe("nsid-id");
    expect(answer(nsidResponse("  ", [cname]))).toBe("res1.example");
    expect(answer(nsidResponse("nsid-id", [txt(" ")]))).toBe("nsid-id");
    // Parsed TXT `answers` win without the abuf being read.
    const both = dnsResult({}, { answers: [{ TYPE: "TXT", RDATA: ["from-answers"] }], abuf: nsidResponse("nsid-id").toString("base64") });
    expect(parse(both).records[0]?.answer).toBe("from-answers");
    const blank = dnsResult({}, { answers: [{ TYPE: "TXT", RDATA: [""] }], abuf: nsidResponse("nsid-id").toString("base64") });
    expect(parse(blank).records[0]?.answer).toBe("nsid-id");
  });

  it("a response naming no server is an issue of its own, with its rcode", () => {
    const { records, issues } = parse(
      dnsResult({}, { abuf: chaosTxtResponse("id.server", [], { rcode: "REFUSED" }).toString("base64") }),
      dnsResult({}, { abuf: nsidResponse(Buffer.alloc(0)).toString("base64") }),
      dnsResult({}, { abuf: chaosTxtAbuf("id.server", [""]) }),
      dnsResult({}, { answers: [{ TYPE: "TXT", RDATA: " " }], abuf: undefined }),
      dnsResult({ prb_id: 6010 }),
    );
    expect(records.map((r) => r.probeExternalId)).toEqual(["6010"]);
    expect(issues).toEqual([
      { index: 1, reason: "no TXT, NSID or CNAME answer in the response (REFUSED)" },
      { index: 2, reason: "no TXT, NSID or CNAME answer in the response" },
      { index: 3, reason: "the TXT answer is empty" },
      { index: 4, reason: "the TXT answer is empty" },
    ]);
  });

  it("reads the results of an object that wraps them with the measurement and its probes", () => {
    const wrapped = { filter: { msm_id: 1001001 }, probes: { results: [{ id: 6001 }] }, results: [dnsResult(), dnsResult({ prb_id: "x" })], meta_data: {} };
    const { records, issues, total } = parseAtlasResults(JSON.stringify(wrapped, null, 2));
    expect(total).toBe(2);
    expect(records.map((r) => r.answer)).toEqual(["ams1-a.ns.example"]);
    expect(issues).toEqual([{ index: 2, reason: 'prb_id "x" is not a probe number' }]);
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

describe("parseAtlasResults on real results", () => {
  const byProbe = (records: ParsedMeasurement[]) => Object.fromEntries(records.map((r) => [r.probeExternalId, r.answer]));
  const counts = (records: ParsedMeasurement[]) => {
    const count: Record<string, number> = {};
    for (const { answer } of records) count[String(answer)] = (count[String(answer)] ?? 0) + 1;
    return count;
  };

  it("L-root NSID (pierky 1071935): the five results in the wrapper, named by the NSID of a referral", () => {
    const { records, issues, errors, total } = parseAtlasResults(anycast("pierky-ripe-atlas-monitor-1071935-lroot-nsid-with-probes.json"));
    expect({ total, errors, issues }).toEqual({ total: 5, errors: 0, issues: [] });
    expect(byProbe(records)).toEqual({
      "10045": "ods01.l.root-servers.org",
      "10048": "ods01.l.root-servers.org",
      "10102": "ods01.l.root-servers.org",
      "10540": "atl01.l.root-servers.org",
      "11523": "her01.l.root-servers.org",
    });
    expect(records[0]).toMatchObject({ target: "199.7.83.42", msmId: 1071935, rttMs: 71.238, measuredAt: new Date(1386240474 * 1000) });
    // An empty `from` is no address.
    expect(records[2]).not.toHaveProperty("probeAddress");
  });

  it("Quad9 id.server.on.quad9.net IN (24980149, abuf only): CNAME targets, and the timeout", () => {
    const { records, issues, errors, total } = parseAtlasResults(anycast("quad9-RIPE-Atlas-measurement-24980149-id.server.on.quad9.net-IN-abuf.json"));
    expect({ total, errors, issues }).toEqual({ total: 14, errors: 1, issues: [{ index: 14, reason: "probe reported: timeout 5000" }] });
    expect(records).toHaveLength(13);
    expect(byProbe(records)).toMatchObject({ "32069": "res110.mia.on.quad9.net", "32071": "res210.ams.on.quad9.net", "32612": "res211.mia.on.quad9.net" });
    expect(counts(records)["res300.ams.on.quad9.net"]).toBe(3);
  });

  it("Quad9 id.server TXT (24980204) puts each probe at the site its CNAME does", () => {
    const { records, issues, errors, total } = parseAtlasResults(anycast("quad9-RIPE-Atlas-measurement-24980204-idserver.json"));
    expect({ total, errors, issues }).toEqual({ total: 14, errors: 1, issues: [{ index: 14, reason: "probe reported: timeout 5000" }] });
    expect(byProbe(records)).toMatchObject({ "32069": "res110.mia.rrdns.pch.net", "34813": "res100.ams.rrdns.pch.net" });
    const viaCname = byProbe(parseAtlasResults(anycast("quad9-RIPE-Atlas-measurement-24980149-id.server.on.quad9.net-IN-abuf.json")).records);
    const site = (identity: string | null | undefined) => identity?.split(".")[1];
    const sites = Object.entries(byProbe(records)).map(([probe, identity]) => [probe, site(identity), site(viaCname[probe])]);
    expect(sites).toHaveLength(13);
    for (const [probe, txtSite, cnameSite] of sites) expect(txtSite, `probe ${probe}`).toBe(cnameSite);
  });

  it("Cloudflare id.server excerpt (tlevine, 1768147): TXT answers as plain strings, seven sites", () => {
    const { records, issues, errors, total } = parseAtlasResults(anycast("tlevine-cloudflare-173.245.58.117-idserver-msm1768147-excerpt.json"));
    expect({ total, errors, issues, stored: records.length }).toEqual({ total: 222, errors: 0, issues: [], stored: 222 });
    expect(counts(records)).toEqual({ JNB: 142, LHR: 60, CDG: 8, FRA: 6, AMS: 2, EWR: 2, SIN: 2 });
  });

  it("ripe-atlas-sagan's DNS results: the NSIDs and CNAMEs among queries of every kind", () => {
    const text = readFileSync(path.resolve(import.meta.dirname, "../../../shared/fixtures/atlas/sagan-dns-results.json"), "utf8");
    const { records, issues, errors, total } = parseAtlasResults(text);
    expect({ total, errors, stored: records.length, issues: issues.length }).toEqual({ total: 47, errors: 2, stored: 13, issues: 45 });
    expect(records.filter((r) => ["14184", "3498", "13330"].includes(r.probeExternalId)).map((r) => [r.probeExternalId, r.answer])).toEqual([
      ["14184", "k3.ams-ix.k.ripe.net"],
      ["13330", "ntp.ripe.net"],
      ["3498", "dns2.ams"],
    ]);
    const named = (reason: string) => issues.filter((i) => i.reason.replace(/^resultset entry \d+: /, "") === reason).length;
    expect(named("no TXT, NSID or CNAME answer in the response")).toBe(38);
    expect([named("no TXT, NSID or CNAME answer in the response (NXDOMAIN)"), named("no TXT, NSID or CNAME answer in the response (NOTIMP)")]).toEqual([2, 1]);
  });
});
