import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAtlasResults } from "./atlas-results";
import { chaosTxtAbuf } from "./fixtures/abuf";
import { MAX_NESTING } from "./json-records";
import { CHUNK_RECORDS, parseBatch, streamBatch } from "./parse-batch";
import { parseSimpleNdjson } from "./simple-format";
import type { IngestFormat, ParseResult } from "./types";

const local = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
// Real files written by real tools (see ../shared/fixtures/*/SOURCES.md).
const shared = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../../shared/fixtures", name), "utf8");

/** The text in pieces of `size` characters, as a request body arrives. */
async function* pieces(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function streamed(text: string, size: number, format?: IngestFormat) {
  const batch = await streamBatch(pieces(text, size), format);
  const chunks: ParseResult<unknown>[] = [];
  for await (const chunk of batch.chunks as AsyncIterable<ParseResult<unknown>>) chunks.push(chunk);
  return {
    format: batch.format,
    chunks,
    records: chunks.flatMap((chunk) => chunk.records),
    issues: chunks.flatMap((chunk) => chunk.issues),
    errors: chunks.reduce((sum, chunk) => sum + chunk.errors, 0),
    total: chunks.reduce((sum, chunk) => sum + chunk.total, 0),
  };
}

const deep = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

const atlasResult = (prb: number, extra: Record<string, unknown> = {}) => ({
  type: "dns",
  prb_id: prb,
  msm_id: 1001001,
  dst_addr: "192.0.2.53",
  timestamp: 1767225600,
  result: { rt: 12.5, abuf: chaosTxtAbuf("hostname.bind", ["ams1-a.ns.example"]) },
  ...extra,
});

describe("streamBatch", () => {
  const fixtures: [string, () => string][] = [
    ["atlas-results.json", () => local("atlas-results.json")],
    ["atlas-results.ndjson", () => local("atlas-results.ndjson")],
    ["atlas-probes.json (the archive's wrapper)", () => local("atlas-probes.json")],
    ["atlas-probes-array.json", () => local("atlas-probes-array.json")],
    ["measurements.csv", () => local("measurements.csv")],
    ["measurements.ndjson", () => local("measurements.ndjson")],
    ["ripe-atlas-sagan DNS results", () => shared("atlas/sagan-dns-results.json")],
    ["Quad9 id.server results", () => shared("atlas-anycast/quad9-RIPE-Atlas-measurement-24980204-idserver.json")],
    ["Quad9 abuf-only results", () => shared("atlas-anycast/quad9-RIPE-Atlas-measurement-24980149-id.server.on.quad9.net-IN-abuf.json")],
    ["Cloudflare id.server excerpt", () => shared("atlas-anycast/tlevine-cloudflare-173.245.58.117-idserver-msm1768147-excerpt.json")],
    ["L-root NSID results in their wrapper", () => shared("atlas-anycast/pierky-ripe-atlas-monitor-1071935-lroot-nsid-with-probes.json")],
  ];

  it.each(fixtures)("reads %s in pieces of any size as it reads it whole", async (_, read) => {
    const text = read();
    const whole = await streamed(text, text.length);
    for (const size of [1, 7, 4096]) {
      const result = await streamed(text, size);
      expect(result.format).toBe(whole.format);
      expect(result.records).toEqual(whole.records);
      expect(result.issues).toEqual(whole.issues);
      expect(result.errors).toBe(whole.errors);
      expect(result.total).toBe(whole.total);
    }
  });

  it("reads a whole text as parseBatch does", async () => {
    for (const name of ["atlas-results.json", "atlas-probes.json", "measurements.csv", "measurements.ndjson"]) {
      const whole = parseBatch(local(name));
      const result = await streamed(local(name), 100);
      expect(result.format).toBe(whole.format);
      expect(result.records).toEqual(whole.result.records);
      expect(result.issues).toEqual(whole.result.issues);
    }
  });

  it("reads real RIPE Atlas CHAOS results: the Quad9 answers and its one timeout, the Cloudflare sites (results carrying probe fields)", async () => {
    const quad9 = await streamed(shared("atlas-anycast/quad9-RIPE-Atlas-measurement-24980204-idserver.json"), 512);
    expect(quad9).toMatchObject({ format: "atlas", total: 14, errors: 1 });
    expect(quad9.records).toHaveLength(13);
    const cloudflare = await streamed(shared("atlas-anycast/tlevine-cloudflare-173.245.58.117-idserver-msm1768147-excerpt.json"), 1000);
    expect(cloudflare).toMatchObject({ format: "atlas", total: 222 });
    const sites = new Set(cloudflare.records.map((record) => (record as { answer: string }).answer.split(".")[0]));
    expect(sites.size).toBeGreaterThanOrEqual(7);
  });

  it("hands a large batch out in chunks of at most CHUNK_RECORDS records", async () => {
    const lines = Array.from({ length: 45_000 }, (_, i) => JSON.stringify({ probe_id: `p${i}`, lat: 52, lon: 5, pop: "AMS1", timestamp: 1767225600 + i }));
    const result = await streamed(lines.join("\n"), 65_536, "ndjson");
    expect(result.total).toBe(45_000);
    expect(result.records).toHaveLength(45_000);
    expect(result.chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of result.chunks) expect(chunk.records.length + chunk.issues.length).toBeLessThanOrEqual(CHUNK_RECORDS + 1_000);
  });

  it("refuses a JSON array that breaks, ends early or has text after it, wherever that comes", async () => {
    const results = JSON.stringify([atlasResult(1), atlasResult(2)]);
    await expect(streamed(results.slice(0, -1), 10)).rejects.toThrow(/does not parse \(it ends before its closing \]\)/);
    await expect(streamed(results.replace("},{", "},,{"), 10)).rejects.toThrow(/does not parse \(record 2 is empty\)/);
    await expect(streamed(results.replace('"type":"dns","prb_id":2', '"type":dns,"prb_id":2'), 10)).rejects.toThrow(/does not parse \(record 2:/);
    const pretty = JSON.stringify([atlasResult(1)], null, 2);
    await expect(streamed(`${pretty}\n${pretty}`, 10)).rejects.toThrow(/text follows its closing \]/);
  });

  it("still reads NDJSON whose first record is an array, each line a record", async () => {
    const text = ['[1]', JSON.stringify({ probe_id: "p", pop: "AMS1", timestamp: 1767225600 })].join("\n");
    const result = await streamed(text, 2, "ndjson");
    expect(result.issues).toEqual([{ index: 1, line: 1, reason: "not a JSON object" }]);
    expect(result.records).toHaveLength(1);
  });
});

// Issue #14 point 11: a deeply nested record failed the whole batch with a 500.
describe("records nested thousands deep", () => {
  const good = (i: number) => JSON.stringify({ probe_id: `p${i}`, lat: 52, lon: 5, pop: "AMS1", timestamp: 1767225600 });

  it("are an issue of their own in NDJSON, first line or not", async () => {
    const text = [`{"probe_id":"x","answer":${deep(10_000)},"timestamp":1767225600}`, good(1), `{"probe_id":${deep(100_000)}}`, good(2)].join("\n");
    const expected = [
      { index: 1, line: 1, reason: `nested deeper than ${MAX_NESTING} levels` },
      { index: 3, line: 3, reason: `nested deeper than ${MAX_NESTING} levels` },
    ];
    expect(parseSimpleNdjson(text).issues).toEqual(expected);
    const result = await streamed(text, 100, "ndjson");
    expect(result.issues).toEqual(expected);
    expect(result.records).toHaveLength(2);
  });

  it("are an issue of their own in a RIPE Atlas array, read whole or in pieces", async () => {
    // An error object nested 10,000 deep overflowed the stack when quoted in its reason.
    const text = `[${JSON.stringify(atlasResult(1))},{"type":"dns","prb_id":2,"error":${deep(10_000)}},${JSON.stringify(atlasResult(3))}]`;
    const expected = [{ index: 2, reason: `nested deeper than ${MAX_NESTING} levels` }];
    const whole = parseAtlasResults(text);
    expect(whole.issues).toEqual(expected);
    expect(whole.records.map((record) => record.probeExternalId)).toEqual(["1", "3"]);
    const result = await streamed(text, 333, "atlas");
    expect(result.issues).toEqual(expected);
    expect(result.records).toHaveLength(2);
  });

  it("within the limit, are read, and what a reason quotes of them is cut short", () => {
    const result = parseAtlasResults(JSON.stringify([atlasResult(1), atlasResult(2, { result: undefined, error: { socket: JSON.parse(deep(MAX_NESTING - 3)) } })]));
    expect(result.records).toHaveLength(1);
    expect(result.errors).toBe(1);
    expect(result.issues[0]!.reason.length).toBeLessThan(100);
  });
});
