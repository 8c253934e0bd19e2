import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData } from "@/test/support/factories";

// The scenario routes as Next calls them, against a real database: who may read, who may write.
type Handler = (request: NextRequest, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;
let test: TestDatabase;
let list: { GET: Handler; POST: Handler };
let one: { GET: Handler; PUT: Handler; DELETE: Handler };
const tokens = { operate: "", read: "", viewer: "" };

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  list = (await import("./route")) as unknown as typeof list;
  one = (await import("./[id]/route")) as unknown as typeof one;
  const { createApiToken } = await import("@/lib/server/auth/api-token");
  await test.db.pop.create({ data: popData("FRA1", { name: "Frankfurt", city: "Frankfurt", country: "DE", latitude: 50.1, longitude: 8.7 }) });
  const lead = await test.db.user.create({ data: { username: "lead", name: "Lead", role: "operator" } });
  const viewer = await test.db.user.create({ data: { username: "watcher", name: "Watcher", role: "viewer" } });
  tokens.operate = (await createApiToken(test.db, { userId: lead.id, name: "planning", scopes: ["operate", "read"] })).token;
  tokens.read = (await createApiToken(test.db, { userId: lead.id, name: "dashboards", scopes: ["read"] })).token;
  tokens.viewer = (await createApiToken(test.db, { userId: viewer.id, name: "viewer", scopes: ["operate", "read"] })).token;
});
afterAll(() => test.drop());

function call(handler: Handler, method: string, path: string, token: string, body?: unknown, params: Record<string, string> = {}) {
  const request = new NextRequest(`http://console.test/api/v1/placement/scenarios${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(request, { params: Promise.resolve(params) });
}

const scenario = { name: "Without Frankfurt", notes: "N-1 review", definition: { removed: ["FRA1"] } };

describe("/api/v1/placement/scenarios", () => {
  it("an operate token saves, edits and deletes a scenario; a read token lists and reads it", async () => {
    const created = await call(list.POST, "POST", "", tokens.operate, scenario);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const listed = await (await call(list.GET, "GET", "", tokens.read)).json();
    expect(listed.scenarios).toEqual([expect.objectContaining({ id, name: "Without Frankfurt", authorName: "lead" })]);
    const read = await (await call(one.GET, "GET", `/${id}`, tokens.read, undefined, { id })).json();
    expect(read.definition).toEqual({ removed: ["FRA1"], added: [], prepends: [] });

    const edited = await call(one.PUT, "PUT", `/${id}`, tokens.operate, { ...scenario, name: "Renamed" }, { id });
    expect(edited.status).toBe(200);
    expect((await edited.json()).name).toBe("Renamed");
    expect((await call(one.DELETE, "DELETE", `/${id}`, tokens.operate, undefined, { id })).status).toBe(200);
    expect((await call(one.GET, "GET", `/${id}`, tokens.read, undefined, { id })).status).toBe(404);
  });

  it("refuses a read-only token, a viewer, an unknown PoP and a malformed definition, writing nothing", async () => {
    expect((await call(list.POST, "POST", "", tokens.read, scenario)).status).toBe(403);
    expect((await call(list.POST, "POST", "", tokens.viewer, scenario)).status).toBe(403);
    const unknown = await call(list.POST, "POST", "", tokens.operate, { ...scenario, definition: { removed: ["ZZZ1"] } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.message).toBe("The fleet has no PoP ZZZ1.");
    const malformed = await call(list.POST, "POST", "", tokens.operate, { name: "", definition: { added: [{ city: "Nairobi" }] } });
    expect(malformed.status).toBe(400);
    expect(await test.db.scenario.count()).toBe(0);
  });
});
