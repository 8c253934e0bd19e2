import { readFileSync } from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

// The export route called as Next calls it, with a viewer's session: what an import stored goes
// out in Routinator's JSON, and comes back in unchanged.
const SECRET = "s".repeat(40);
const ORIGIN = "http://console.test";
vi.stubEnv("NEXTAUTH_SECRET", SECRET);
vi.stubEnv("NEXTAUTH_URL", ORIGIN);

let test: TestDatabase;
let GET: (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
let importing: typeof import("@/lib/server/rpki/import-roas");
let cookie = "";

const actor = { id: null, name: "tester" };
const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../../../../shared/fixtures/rpki", name), "utf8");

beforeAll(async () => {
  test = await createTestDatabase();
  vi.stubEnv("DATABASE_URL", test.url);
  ({ GET } = await import("./route"));
  importing = await import("@/lib/server/rpki/import-roas");
  const user = await test.db.user.create({ data: { username: "viewer", name: "viewer", role: "viewer" } });
  const session = await test.db.session.create({ data: { userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
  cookie = `next-auth.session-token=${await encode({ token: { sub: user.id, sid: session.id }, secret: SECRET })}`;
});
afterAll(() => test.drop());

async function importFile(text: string) {
  const options = { text, defaultSource: "import" };
  const preview = await importing.previewImport(test.db, options);
  await importing.applyImport(test.db, options, preview.basisDigest, actor, null);
  return preview;
}

async function exportJson(set: "stored" | "effective") {
  const response = await GET(new NextRequest(`${ORIGIN}/api/v1/roas?format=json&set=${set}`, { headers: { cookie } }), { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  return response.text();
}

const roas = async () => (await test.db.roa.findMany({ orderBy: { id: "asc" } })).map((roa) => `${roa.source} ${roa.prefix} ${roa.maxLength} AS${roa.asn}`);
const aspas = async () =>
  (await test.db.aspa.findMany({ orderBy: { id: "asc" } })).map((aspa) => ({
    customerAsn: aspa.customerAsn,
    providerAsns: aspa.providerAsns,
    afi: aspa.afi,
    source: aspa.source,
    expiresAt: aspa.expiresAt,
    ta: aspa.ta,
  }));

describe("GET /api/v1/roas?format=json", () => {
  it("exports what rpki-client's and Routinator's files imported, and the export re-imports to the same ROAs and ASPA objects", async () => {
    await importFile(fixture("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json"));
    await importFile(fixture("routinator-test-output-111.json"));
    const roasBefore = await roas();
    const aspasBefore = await aspas();
    expect(roasBefore).toHaveLength(1698);
    expect(aspasBefore).toHaveLength(267);

    const exported = await exportJson("stored");
    expect(JSON.parse(exported).aspas).toContainEqual({ customer: "AS28", afi: "ipv4", providers: ["AS41881", "AS61036", "AS204096"], ta: "import", expires: 1683277596 });
    expect(JSON.parse(exported).aspas).toContainEqual({ customer: "AS1234", providers: ["AS1", "AS2", "AS3", "AS4"], ta: "N/A" });

    const preview = await importFile(exported);
    expect(preview.sources).toEqual(["import", "n/a", "ripe-prepdev-https"]);
    expect(preview.counts).toMatchObject({ added: 0, removed: 0, unchanged: 1698, aspasBefore: 267, aspasAfter: 267 });
    expect(await roas()).toEqual(roasBefore);
    // rpki-client named no trust anchor on its ASPA objects: the export names their source instead.
    expect(await aspas()).toEqual(aspasBefore.map((aspa) => ({ ...aspa, ta: aspa.ta ?? aspa.source })));
  });

  it("the effective set leaves out expired ASPA objects (rpki-client's excerpt expired in 2023)", async () => {
    expect(JSON.parse(await exportJson("effective")).aspas).toEqual([{ customer: "AS1234", providers: ["AS1", "AS2", "AS3", "AS4"], ta: "N/A" }]);
  });
});
