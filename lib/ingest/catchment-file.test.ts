import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { clientPrefixOf } from "./client-prefix";
import { detectFormat } from "./detect-format";
import { parseGeolocation } from "./geolocation";
import { streamInput, type ParseOptions } from "./parse-batch";
import { IngestRefusedError, type IngestFormat, type ParsedMeasurement, type ParseIssue } from "./types";

// A real Verfploeter run from the Tangled testbed (../shared/fixtures/verfploeter/SOURCES.md).
const VERFPLOETER = path.resolve(import.meta.dirname, "../../../shared/fixtures/verfploeter");
const RUN = "verfploeter-tangled-baseline-ipv4-2022-03-02-22h35m";

async function* bytesOf(data: Uint8Array | string, size = 7_000) {
  const buffer = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function read(data: Uint8Array | string, format?: IngestFormat, options: ParseOptions = {}) {
  const batch = await streamInput(bytesOf(data), format, options);
  const records: ParsedMeasurement[] = [];
  const issues: ParseIssue[] = [];
  let total = 0;
  let duplicates = 0;
  for await (const chunk of batch.chunks) {
    total += chunk.total;
    duplicates += chunk.duplicates ?? 0;
    records.push(...(chunk.records as ParsedMeasurement[]));
    issues.push(...chunk.issues);
  }
  const perSite: Record<string, number> = {};
  for (const record of records) perSite[record.answer!] = (perSite[record.answer!] ?? 0) + 1;
  return { format: batch.format, records, issues, total, duplicates, perSite };
}

describe("Verfploeter CSV", () => {
  it("reads the Tangled baseline run (gzip) with the per-site counts of its .stats file, duplicates counted once", async () => {
    const run = await read(readFileSync(path.join(VERFPLOETER, `${RUN}.csv.gz`)));
    // site,counts,percent after the # comment lines and the header
    const stats = readFileSync(path.join(VERFPLOETER, `${RUN}.stats`), "utf8")
      .split("\n")
      .filter((line) => line && !line.startsWith("#") && !line.startsWith("site,"))
      .map((line) => line.split(","));
    expect(run.format).toBe("verfploeter");
    expect(run.perSite).toEqual(Object.fromEntries(stats.map(([site, count]) => [site, Number(count)])));
    expect(run.perSite["au-syd-anycast01"]).toBe(8010);
    expect(run.total).toBe(8926);
    expect(run.duplicates).toBe(10);
    expect(run.issues).toEqual([]);

    const first = run.records[0]!;
    expect(first).toMatchObject({
      source: "verfploeter",
      probeExternalId: "1.0.6.0/24",
      target: "145.100.118.1",
      answer: "au-syd-anycast01",
      popCode: null,
      rttMs: null,
      probe: { lat: null, lon: null, country: "AU", asnV4: 38803 },
    });
    // receive_time 1646261274394554811 ns
    expect(first.measuredAt.toISOString()).toBe("2022-03-02T22:47:54.394Z");
  });

  it("reads a plain (not gzipped) file the same, and places clients from a geolocation file", async () => {
    const text = [
      "task_id,client_id,transmit_time,receive_time,send_receive_time_diff,source_address,destination_address,meta_source_address,meta_destination_address,ttl,source_address_country,source_address_asn",
      "0,au-syd-anycast01,1646261274266073110,1646261274394554811,128.4,1.0.6.6,145.100.118.1,145.100.118.1,1.0.6.6,48,AU,38803",
      "0,fr-par-anycast01,1646261274266073110,1646261274394554811,128.4,2.3.4.5,145.100.118.1,145.100.118.1,2.3.4.5,48,,0",
    ].join("\n");
    const geolocation = parseGeolocation("prefix,lat,lon,country\n1.0.0.0/16,-33.9,151.2,AU\n1.0.6.0/24,-27.5,153.0\n");
    const run = await read(text, undefined, { geolocation });
    expect(run.records.map((r) => r.probe)).toEqual([
      { lat: -27.5, lon: 153.0, country: "AU", asnV4: 38803 },
      { lat: null, lon: null },
    ]);
  });
});

const MANYCASTR_LACES = [
  "# Measurement style: Anycast latency",
  "# Configuration - Worker: ALL, source IP: 192.0.2.1, source port: 62321, destination port: 63853",
  "# Hitlist: hitlist.txt",
  "rx,rx_time,addr,ttl,tx_time,tx",
  "au-syd-w1,1764900000123456789,203.0.113.7,51,1764900000000000000,nl-ams-w1",
  "fr-par-w1,1764900000223456789,2001:db8:1234:5678::1,57,1764900000000000000,nl-ams-w1",
  "au-syd-w1,1764900000323456789,203.0.113.99,51,1764900000000000000,nl-ams-w1",
].join("\n");

describe("MAnycastR CSV", () => {
  it("skips the # metadata lines, takes rx as the site and rx_time (ns) as the time; an IPv6 client is its /48", async () => {
    const run = await read(MANYCASTR_LACES);
    expect(run.format).toBe("manycastr");
    expect(run.records.map((r) => [r.answer, r.probeExternalId, r.measuredAt.toISOString(), r.target])).toEqual([
      ["au-syd-w1", "203.0.113.0/24", "2025-12-05T02:00:00.123Z", ""],
      ["fr-par-w1", "2001:db8:1234::/48", "2025-12-05T02:00:00.223Z", ""],
    ]);
    expect(run.duplicates).toBe(1);
  });

  it("detects gzip by its magic bytes, not by a name", async () => {
    const run = await read(gzipSync(MANYCASTR_LACES));
    expect(run.records).toHaveLength(2);
  });

  it("Verfploeter mode (rx,addr,ttl) has no time: the caller's time is used, and without one each row is an issue", async () => {
    const text = "rx,addr,ttl\nams,192.0.2.1,60\nfra,198.51.100.1,60\n";
    const at = new Date("2026-12-05T00:00:00Z");
    const timed = await read(text, undefined, { measuredAt: at });
    expect(timed.records.map((r) => r.measuredAt)).toEqual([at, at]);
    const untimed = await read(text);
    expect(untimed.records).toEqual([]);
    expect(untimed.issues[0]!.reason).toMatch(/no receive time: give the scan's time \(--measured-at\)/);
  });

  it("reads the latency mode's rtt (ms)", async () => {
    const run = await read("rx,addr,ttl,rtt\nams,192.0.2.1,60,12.5\n", undefined, { measuredAt: new Date("2026-12-05T00:00:00Z") });
    expect(run.records[0]!.rttMs).toBe(12.5);
  });

  it("makes each bad row an issue with its line and keeps the good ones", async () => {
    const text = [
      "# metadata",
      "rx,rx_time,addr,ttl,tx_time,tx",
      "ams,1764900000000000000,192.0.2.1,60,1,ams",
      "ams,1764900000000000000,not-an-address,60,1,ams",
      ",1764900000000000000,192.0.2.2,60,1,ams",
      "ams,1764900000000000000",
      "ams,1234,192.0.3.3,60,1,ams",
      'ams,1764900000000000000,"192.0.2.4,60,1,ams',
      "fra,1764900000000000000,198.51.100.9,60,1,ams",
    ].join("\n");
    const run = await read(text);
    expect(run.records.map((r) => r.probeExternalId)).toEqual(["192.0.2.0/24", "198.51.100.0/24"]);
    expect(run.total).toBe(7);
    expect(run.issues.map((issue) => [issue.line, issue.reason])).toEqual([
      [4, 'addr "not-an-address" is not an IP address'],
      [5, "rx (the receiving site) is missing"],
      [6, "has 2 fields, the header has 6"],
      [7, "rx_time 1234 is not a time in nanoseconds between 2000 and 2100; give the scan's time (--measured-at)"],
      [8, expect.stringMatching(/^not valid CSV/)],
    ]);
  });

  it("refuses a MAnycastR traceroute file: it has no catchment", async () => {
    await expect(read("rx,hop_addr,ttl,tx,trace_dst,hop_count,rtt\n", "manycastr")).rejects.toThrow(IngestRefusedError);
  });
});

describe("MAnycastR Parquet", () => {
  const parquet = (rows: number) =>
    parquetWriteBuffer({
      columnData: [
        { name: "rx", data: Array.from({ length: rows }, (_, i) => (i % 4 === 0 ? "fr-par-w1" : "au-syd-w1")), type: "STRING" },
        { name: "rx_time", data: Array.from({ length: rows }, (_, i) => 1_764_900_000_000_000_000n + BigInt(i) * 1000n), type: "INT64" },
        { name: "addr", data: Array.from({ length: rows }, (_, i) => (i === 5 ? "garbage" : `10.${(i >> 8) & 255}.${i & 255}.1`)), type: "STRING" },
        { name: "ttl", data: Array.from({ length: rows }, () => 55), type: "INT32" },
      ],
      rowGroupSize: 1000,
    });

  it("reads every row group (magic PAR1), as a MAnycastR CSV would be read", async () => {
    const run = await read(new Uint8Array(parquet(2500)));
    expect(run.format).toBe("manycastr");
    expect(run.total).toBe(2500);
    expect(run.records).toHaveLength(2499);
    expect(run.perSite).toEqual({ "fr-par-w1": 625, "au-syd-w1": 1874 });
    expect(run.issues).toEqual([{ index: 6, reason: 'addr "garbage" is not an IP address' }]);
    expect(run.records[0]!.measuredAt.toISOString()).toBe("2025-12-05T02:00:00.000Z");
  });

  it("refuses a Parquet file asked to be read as another format", async () => {
    await expect(read(new Uint8Array(parquet(3)), "csv")).rejects.toThrow(/Parquet file is read as MAnycastR/);
  });
});

describe("detection and helpers", () => {
  it("detects the catchment formats from their header rows", () => {
    expect(detectFormat("task_id,client_id,transmit_time,receive_time,source_address\n")).toBe("verfploeter");
    expect(detectFormat("# Hitlist: x\n# Measurement type: ICMP\nrx,addr,ttl\n")).toBe("manycastr");
  });

  it("names a client by its /24 or /48", () => {
    expect(clientPrefixOf("192.0.2.77")).toEqual({ cidr: "192.0.2.0/24", family: 4 });
    expect(clientPrefixOf("2001:DB8:aa:bb::1")).toEqual({ cidr: "2001:db8:aa::/48", family: 6 });
    expect(clientPrefixOf("256.1.1.1")).toBeNull();
    expect(clientPrefixOf("x")).toBeNull();
  });

  it("reads a geolocation file: the longest prefix wins, bad lines are issues", () => {
    const geo = parseGeolocation(["# comment", "prefix,lat,lon,country", "10.0.0.0/8,1,2,nl", "10.1.0.0/16,3,4", "10.1.2.0/25,5,6", "2001:db8::/32,7,8,DE", "bad,1,2", "10.2.0.0/16,95,0"].join("\n"));
    expect(geo.placeOf("10.1.9.0/24")).toEqual({ lat: 3, lon: 4 });
    expect(geo.placeOf("10.9.9.0/24")).toEqual({ lat: 1, lon: 2, country: "NL" });
    expect(geo.placeOf("2001:db8:1::/48")).toEqual({ lat: 7, lon: 8, country: "DE" });
    expect(geo.placeOf("11.0.0.0/24")).toBeNull();
    expect(geo.issues.map((issue) => issue.line)).toEqual([5, 7, 8]);
  });
});
