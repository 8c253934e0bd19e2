import { gzipSync } from "node:zlib";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

// The route handler itself, called as Next calls it, against a real database.
let test: TestDatabase;
let POST: (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const tokens: Record<"ingest" | "read" | "viewerIngest", string> = { ingest: "", read: "", viewerIngest: "" };

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  process.env.CATCHMENT_INGEST_MAX_MB = "0.01"; // about 10 KB
  ({ POST } = await import("./route"));
  const { createApiToken } = await import("@/lib/server/auth/api-token");
  const db = test.db;
  await db.prefix.create({ data: prefixData("192.0.2.0/24") });
  await db.pop.create({
    data: popData("AMS1", { city: "Amsterdam", latitude: 52.4, longitude: 4.9, capacityGbps: 10, identities: ["ams1.ns.example"] }),
  });
  const operator = await db.user.create({ data: { username: "ops", name: "Ops", role: "operator" } });
  const viewer = await db.user.create({ data: { username: "look", name: "Look", role: "viewer" } });
  tokens.ingest = (await createApiToken(db, { userId: operator.id, name: "probes", scopes: ["ingest"] })).token;
  tokens.read = (await createApiToken(db, { userId: operator.id, name: "dashboards", scopes: ["read"] })).token;
  tokens.viewerIngest = (await createApiToken(db, { userId: viewer.id, name: "probes", scopes: ["ingest"] })).token;
});
afterAll(() => test.drop());

function post(body: string | Blob, { token = tokens.ingest, query = "" } = {}) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return POST(new NextRequest(`http://console.test/api/v1/measurements${query}`, { method: "POST", body, headers }), { params: Promise.resolve({}) });
}

const csv = (...rows: string[]) => ["probe_id,lat,lon,answer,rtt_ms,timestamp", ...rows].join("\n");

describe("POST /api/v1/measurements", () => {
  it("stores a batch for a token with the ingest scope, and re-sending it adds nothing", async () => {
    const body = csv("p1,52,5,ams1.ns.example,4.2,1764064800", "p2,51,4,who.example,6,1764064800");
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ format: "csv", written: 2, alreadyStored: 0, perPop: { AMS1: 1 }, unmatched: [{ answer: "who.example", count: 1 }] });
    const again = await post(body);
    expect(await again.json()).toMatchObject({ written: 0, alreadyStored: 2 });
    expect(await test.db.measurement.count()).toBe(2);
  });

  it("refuses with 422 and the records' reasons when nothing can be stored, writing nothing", async () => {
    const before = await test.db.measurement.count();
    const response = await post(csv("p9,,,ams1.ns.example,4,1764064800"));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: "refused",
        message: expect.stringContaining("record 1: probe p9 is unknown"),
        detail: { reason: "all_bad", issueCount: 1, issues: [{ index: 1, line: 2, reason: expect.stringContaining("probe p9 is unknown") }] },
      },
    });
    expect(await test.db.measurement.count()).toBe(before);
  });

  it("refuses a body that is no known format, an unknown format name, and a body over the limit", async () => {
    const notFormat = await post("<html>hello</html>");
    expect(notFormat.status).toBe(422);
    expect((await notFormat.json()).error.detail.reason).toMatch(/format/);
    const badQuery = await post(csv("p1,52,5,ams1.ns.example,4.2,1764064801"), { query: "?format=xml" });
    expect(badQuery.status).toBe(400);
    const big = csv(...Array.from({ length: 400 }, (_, i) => `big${i},52,5,ams1.ns.example,4.2,1764064800`));
    const tooLarge = await post(big);
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.message).toMatch(/larger than/);
    expect(await test.db.probe.count({ where: { externalId: { startsWith: "big" } } })).toBe(0);
  });

  it("checks the token: none, the wrong scope, or a viewer's token are refused", async () => {
    const body = csv("p3,52,5,ams1.ns.example,4.2,1764064800");
    expect((await post(body, { token: "" })).status).toBe(401);
    expect((await post(body, { token: "ctm_not-a-real-token" })).status).toBe(401);
    expect((await post(body, { token: tokens.read })).status).toBe(403);
    expect((await post(body, { token: tokens.viewerIngest })).status).toBe(403);
    expect(await test.db.probe.count({ where: { externalId: "p3" } })).toBe(0);
  });
});

describe("POST /api/v1/measurements with a catchment file", () => {
  it("stores a gzipped MAnycastR catchment file: rx is the answer, each client /24 a probe without coordinates", async () => {
    const body = new Blob([gzipSync(["# Hitlist: h.txt", "rx,addr,ttl", "ams1.ns.example,203.0.113.9,60", "ams1.ns.example,198.51.100.7,60", "ams1.ns.example,203.0.113.10,60"].join("\n"))]);
    const response = await post(body, { query: "?prefix=192.0.2.0/24&measuredAt=2026-12-05T04:00:00Z" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ format: "manycastr", total: 3, duplicates: 1, written: 2, probesCreated: 2, perPop: { AMS1: 2 } });
    expect(await test.db.probe.findMany({ where: { source: "manycastr" }, select: { externalId: true, latitude: true }, orderBy: { externalId: "asc" } })).toEqual([
      { externalId: "198.51.100.0/24", latitude: null },
      { externalId: "203.0.113.0/24", latitude: null },
    ]);
  });

  it("refuses with 413 a gzip body that decompresses past ten times the body limit", async () => {
    const response = await post(new Blob([gzipSync("rx,addr,ttl\n" + "ams1.ns.example,203.0.113.9,60\n".repeat(20_000))]), { query: "?measuredAt=2026-12-05T04:00:00Z" });
    expect(response.status).toBe(413);
  });
});
