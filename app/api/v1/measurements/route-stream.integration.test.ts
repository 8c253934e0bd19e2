import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

// The route handler with bodies that arrive in pieces, as a feed's upload does (issue #14,
// points 7 and 11): one ingest per token at a time, a limit counted as the body arrives, a
// batch written chunk by chunk yet all or nothing, and records nested thousands deep.
let test: TestDatabase;
let POST: (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const tokens = { a: "", b: "" };
const encoder = new TextEncoder();
// Where the route spools bodies (os.tmpdir() reads TMPDIR): a folder of this file's own.
const spool = mkdtempSync(path.join(os.tmpdir(), "catchment-spool-test-"));
process.env.TMPDIR = spool;

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  process.env.CATCHMENT_INGEST_MAX_MB = "4";
  ({ POST } = await import("./route"));
  const { createApiToken } = await import("@/lib/server/auth/api-token");
  const db = test.db;
  await db.prefix.create({ data: prefixData("192.0.2.0/24") });
  await db.pop.create({
    data: popData("AMS1", { city: "Amsterdam", latitude: 52.4, longitude: 4.9, capacityGbps: 10, identities: ["ams1.ns.example"] }),
  });
  await db.probe.create({ data: { source: "atlas", externalId: "6001", latitude: 52, longitude: 5, country: "NL", region: "europe" } });
  const operator = await db.user.create({ data: { username: "feeds", name: "Feeds", role: "operator" } });
  tokens.a = (await createApiToken(db, { userId: operator.id, name: "feed-a", scopes: ["ingest"] })).token;
  tokens.b = (await createApiToken(db, { userId: operator.id, name: "feed-b", scopes: ["ingest"] })).token;
});
afterAll(async () => {
  rmSync(spool, { recursive: true, force: true });
  await test.drop();
});

/** A body the test writes as it goes; `reading` settles once the route has started to read it. */
function uploadBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let started!: () => void;
  const reading = new Promise<void>((resolve) => (started = resolve));
  const stream = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      pull: () => started(),
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    reading,
    send: (data: string | Uint8Array) => controller.enqueue(typeof data === "string" ? encoder.encode(data) : data),
    close: () => controller.close(),
  };
}

function post(body: string | ReadableStream<Uint8Array>, token: string, query = "?format=ndjson") {
  const request = new NextRequest(`http://console.test/api/v1/measurements${query}`, {
    method: "POST",
    body,
    headers: { authorization: `Bearer ${token}` },
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  } as ConstructorParameters<typeof NextRequest>[1]);
  return POST(request, { params: Promise.resolve({}) });
}

const record = (probe: string, timestamp: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ probe_id: probe, lat: 52, lon: 5, answer: "ams1.ns.example", rtt_ms: 4, timestamp, target: "dns", ...extra });

/** Sends `text` in pieces of `size` bytes. */
async function sendInPieces(body: ReturnType<typeof uploadBody>, text: string, size = 65_536) {
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i += size) {
    body.send(bytes.subarray(i, i + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("POST /api/v1/measurements, bodies that arrive in pieces", () => {
  it("takes one ingest at a time per token: another from the same token gets 429 with Retry-After, another token's goes through", async () => {
    const first = uploadBody();
    const firstResponse = post(first.stream, tokens.a);
    await first.reading;
    // The first record's answer is split inside a two-byte character.
    const head = encoder.encode(`${record("q1", 1764064800, { answer: "ams1-é.example" })}\n`);
    const split = head.indexOf(0xc3) + 1;
    first.send(head.subarray(0, split));
    first.send(head.subarray(split));

    const second = await post(record("q2", 1764064800), tokens.a);
    expect(second.status).toBe(429);
    expect(second.headers.get("retry-after")).toBe("5");
    expect((await second.json()).error).toMatchObject({ code: "rate_limited", message: expect.stringContaining("previous batch of this token") });

    const otherToken = await post(record("q3", 1764064800), tokens.b);
    expect(otherToken.status).toBe(200);

    first.send(record("q4", 1764064800));
    first.close();
    const done = await firstResponse;
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ format: "ndjson", written: 2, unmatched: [{ answer: "ams1-é.example", count: 1 }] });

    // The slot is free again, after a refused batch too.
    expect((await post("{}\n", tokens.a)).status).toBe(422);
    expect((await post(record("q2", 1764064800), tokens.a)).status).toBe(200);
    expect(await test.db.probe.count({ where: { externalId: { in: ["q1", "q2", "q3", "q4"] } } })).toBe(4);
  });

  it("stores a large batch chunk by chunk: duplicates and issues counted across chunks, indexes kept", async () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => record(`big${i % 3000}`, 1764000000 + Math.floor(i / 3000) * 60));
    lines[24_999] = record("big-bad", 1764000000, { rtt_ms: -1 });
    lines.push(lines[0]!);
    const body = uploadBody();
    const response = post(body.stream, tokens.a);
    await sendInPieces(body, lines.join("\n"));
    body.close();
    const result = await (await response).json();
    expect(result).toMatchObject({ total: 30_001, stored: 29_999, duplicates: 1, written: 29_999, alreadyStored: 0, issueCount: 1 });
    expect(result.issues).toEqual([{ index: 25_000, line: 25_000, reason: "rtt_ms -1 is negative" }]);
    expect(await test.db.measurement.count({ where: { probe: { externalId: { startsWith: "big" } } } })).toBe(29_999);
  });

  it("writes nothing of a batch that breaks after its first chunks were written (a cut-off array), nor of a body over the limit", async () => {
    const before = await test.db.measurement.count();
    const cut = uploadBody();
    const cutResponse = post(cut.stream, tokens.a);
    await sendInPieces(cut, `[${Array.from({ length: 25_000 }, (_, i) => record(`cut${i}`, 1764064800)).join(",")}`);
    cut.close();
    const refused = await cutResponse;
    expect(refused.status).toBe(422);
    expect((await refused.json()).error).toMatchObject({ code: "refused", message: expect.stringContaining("ends before its closing ]"), detail: { reason: "not_format" } });

    // No Content-Length: counted as it arrives, past 4 MiB.
    const big = uploadBody();
    const bigResponse = post(big.stream, tokens.a);
    await sendInPieces(big, Array.from({ length: 50_000 }, (_, i) => record(`over${i}`, 1764064800)).join("\n"));
    big.close();
    const tooLarge = await bigResponse;
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.message).toMatch(/larger than 4 MiB/);

    expect(await test.db.measurement.count()).toBe(before);
    expect(await test.db.probe.count({ where: { OR: [{ externalId: { startsWith: "cut" } }, { externalId: { startsWith: "over" } }] } })).toBe(0);
  });

  it("makes a record nested thousands deep an issue of its own, in NDJSON and in a RIPE Atlas array", async () => {
    const deep = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
    const ndjson = await post([`{"probe_id":"n1","answer":${deep(10_000)},"timestamp":1764064800}`, record("n2", 1764064800)].join("\n"), tokens.b);
    expect(ndjson.status).toBe(200);
    expect(await ndjson.json()).toMatchObject({ written: 1, issueCount: 1, issues: [{ index: 1, line: 1, reason: "nested deeper than 32 levels" }] });

    const result = (prb: number, extra: Record<string, unknown>) => JSON.stringify({ type: "dns", prb_id: prb, dst_addr: "192.0.2.53", timestamp: 1764064800, ...extra });
    const answer = { result: { rt: 9.5, answers: [{ TYPE: "TXT", RDATA: ["ams1.ns.example"] }] } };
    const nested = `{"type":"dns","prb_id":6001,"dst_addr":"192.0.2.53","timestamp":1764064860,"error":${deep(10_000)}}`;
    const atlas = await post(`[${result(6001, answer)},${nested}]`, tokens.b, "?format=atlas");
    expect(atlas.status).toBe(200);
    expect(await atlas.json()).toMatchObject({ written: 1, issueCount: 1, issues: [{ index: 2, reason: "nested deeper than 32 levels" }] });
  });

  it("leaves no spooled body behind, stored, refused or cut off", () => {
    expect(readdirSync(spool)).toEqual([]);
  });
});
