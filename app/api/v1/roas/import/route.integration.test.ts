import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

// The route handler itself, called as Next calls it, with a browser's session cookie, against a real database.
const SECRET = "s".repeat(40);
const ORIGIN = "http://console.test";
vi.stubEnv("NEXTAUTH_SECRET", SECRET);
vi.stubEnv("NEXTAUTH_URL", ORIGIN);

let test: TestDatabase;
let POST: (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
const cookies: Record<"admin" | "operator", string> = { admin: "", operator: "" };

async function sessionCookie(username: string, role: "admin" | "operator") {
  const user = await test.db.user.create({ data: { username, name: username, role } });
  const session = await test.db.session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
  return `next-auth.session-token=${await encode({ token: { sub: user.id, sid: session.id }, secret: SECRET })}`;
}

beforeAll(async () => {
  test = await createTestDatabase();
  vi.stubEnv("DATABASE_URL", test.url);
  ({ POST } = await import("./route"));
  cookies.admin = await sessionCookie("root", "admin");
  cookies.operator = await sessionCookie("ops", "operator");
  const pop = await test.db.pop.create({ data: popData("AMS1", { name: "Amsterdam", city: "Amsterdam", longitude: 4 }) });
  const prefix = await test.db.prefix.create({ data: prefixData("192.0.2.0/24") });
  await test.db.announcement.create({ data: { popId: pop.id, prefixId: prefix.id } });
});
afterAll(() => test.drop());

type Body = string | ReadableStream<Uint8Array>;

function post(body: Body, query: string, { cookie = cookies.admin, headers = {} as Record<string, string> } = {}) {
  const request = new NextRequest(`${ORIGIN}/api/v1/roas/import?${query}`, {
    method: "POST",
    body,
    headers: { cookie, origin: ORIGIN, "content-type": "application/octet-stream", ...headers },
    // A stream body must say so (fetch's rule for request streams).
    ...(typeof body === "string" ? {} : { duplex: "half" }),
  });
  return POST(request, { params: Promise.resolve({}) });
}

const csv = (...rows: string[]) => ["ASN,IP Prefix,Max Length,Trust Anchor", ...rows].join("\n");
const FILE = csv("AS64500,192.0.2.0/24,24,ripe", "AS64501,198.51.100.0/24,24,ripe", "AS64502,2001:db8::/32,48,arin");

async function dryRun(body: Body) {
  const response = await post(body, "mode=dry-run");
  expect(response.status).toBe(200);
  return (await response.json()) as { counts: Record<string, number>; sources: string[]; basisDigest: string; validityChanges: { cidr: string; before: string; after: string }[] };
}

describe("POST /api/v1/roas/import", () => {
  it("a dry run shows the counts and validity changes and writes nothing; the apply with its digest stores them, audited", async () => {
    const preview = await dryRun(FILE);
    expect(preview.counts).toMatchObject({ added: 3, removed: 0, unchanged: 0 });
    expect(preview.sources).toEqual(["arin", "ripe"]);
    expect(preview.validityChanges).toEqual([expect.objectContaining({ cidr: "192.0.2.0/24", before: "not_found", after: "valid" })]);
    expect(await test.db.roa.count()).toBe(0);

    const applied = await post(FILE, `mode=apply&basisDigest=${preview.basisDigest}`);
    expect(applied.status).toBe(200);
    expect(await applied.json()).toEqual({ added: 3, removed: 0, unchanged: 0, aspas: null, validityChanges: 1, message: "Imported: 3 added, 0 removed, 0 unchanged; 1 of the fleet's prefixes changed validity." });
    expect((await test.db.roa.findMany({ orderBy: { prefix: "asc" } })).map((roa) => `${roa.source} ${roa.prefix} ${roa.maxLength} AS${roa.asn}`)).toEqual([
      "ripe 192.0.2.0/24 24 AS64500",
      "ripe 198.51.100.0/24 24 AS64501",
      "arin 2001:db8::/32 48 AS64502",
    ]);
    expect(await test.db.auditEvent.findFirst({ where: { action: "roa.import" } })).toMatchObject({ actorName: "root", detail: expect.objectContaining({ added: 3 }) });
  });

  it("reads a body that arrives in chunks, as a browser streams a file", async () => {
    const bytes = new TextEncoder().encode(csv("AS64500,192.0.2.0/24,24,ripe", "AS64501,198.51.100.0/24,24,ripe"));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    expect((await dryRun(stream)).counts).toMatchObject({ added: 0, removed: 0, unchanged: 2 });
  });

  it("refuses an apply whose dry run is stale (the ROAs changed since), writing nothing", async () => {
    const file = csv("AS64500,192.0.2.0/24,24,ripe");
    const preview = await dryRun(file);
    expect(preview.counts).toMatchObject({ removed: 1, unchanged: 1 });
    await test.db.roa.create({ data: { prefix: "203.0.113.0/24", family: 4, length: 24, maxLength: 24, asn: 64510n, source: "manual" } });
    const before = await test.db.roa.findMany({ orderBy: { id: "asc" } });
    const response = await post(file, `mode=apply&basisDigest=${preview.basisDigest}`);
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({ code: "conflict", message: expect.stringContaining("run the dry run again") });
    expect(await test.db.roa.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("refuses a file with bad lines whole, naming each, and an apply without a dry run", async () => {
    const count = await test.db.roa.count();
    const bad = await post(csv("AS64500,192.0.2.0/24,24,ripe", "AS64500,192.0.2.7/24,24,ripe", "AS64500,198.51.100.0/24,16,ripe"), "mode=dry-run");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toEqual({
      code: "invalid_input",
      message: "The file was not imported: 2 bad records. Nothing was changed.",
      fieldErrors: { file: ["line 3: 192.0.2.7/24 has host bits set: did you mean 192.0.2.0/24?", "line 4: max length 16 must be between the prefix length 24 and 32 for 198.51.100.0/24"] },
    });
    const noDigest = await post(FILE, "mode=apply");
    expect(noDigest.status).toBe(400);
    expect((await noDigest.json()).error.fieldErrors).toEqual({ basisDigest: ["Run the dry run first."] });
    expect((await post("", "mode=dry-run")).status).toBe(400);
    expect(await test.db.roa.count()).toBe(count);
  });

  it("refuses a body over 64 MiB while it streams in, without reading the rest", async () => {
    const MiB = new Uint8Array(1024 * 1024).fill(0x41);
    let sent = 0;
    // Endless: the route must stop reading past the limit.
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent++;
        controller.enqueue(MiB);
      },
    });
    const response = await post(endless, "mode=dry-run");
    expect(response.status).toBe(413);
    expect((await response.json()).error).toMatchObject({ code: "too_large", message: "The file is larger than 64 MiB, the import limit. Nothing was changed." });
    expect(sent).toBeLessThan(70);

    const declared = await post("AS64500,192.0.2.0/24,24,ripe", "mode=dry-run", { headers: { "content-length": String(65 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
  });

  it("is for admins: an operator's session and no session are refused", async () => {
    expect((await post(FILE, "mode=dry-run", { cookie: cookies.operator })).status).toBe(403);
    expect((await post(FILE, "mode=dry-run", { cookie: "" })).status).toBe(401);
  });
});
