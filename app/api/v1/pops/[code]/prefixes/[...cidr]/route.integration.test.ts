import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

// The route handlers themselves, called as Next calls them, against a real database.
type Handler = (request: NextRequest, segment: { params: Promise<{ code: string; cidr: string[] }> }) => Promise<Response>;
let test: TestDatabase;
let routes: { PUT: Handler; DELETE: Handler };
const tokens = { admin: "", adminRead: "", operator: "" };

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  routes = (await import("./route")) as unknown as typeof routes;
  const { createApiToken } = await import("@/lib/server/auth/api-token");
  const db = test.db;
  await db.prefix.create({ data: prefixData("2001:db8:53::/48") });
  await db.pop.create({ data: popData("NEW1", { name: "New", city: "Oslo", country: "NO", latitude: 59.9, longitude: 10.7, capacityGbps: 10 }) });
  const admin = await db.user.create({ data: { username: "boss", name: "Boss", role: "admin" } });
  const operator = await db.user.create({ data: { username: "ops", name: "Ops", role: "operator" } });
  tokens.admin = (await createApiToken(db, { userId: admin.id, name: "inventory", scopes: ["operate"] })).token;
  tokens.adminRead = (await createApiToken(db, { userId: admin.id, name: "dashboards", scopes: ["read"] })).token;
  tokens.operator = (await createApiToken(db, { userId: operator.id, name: "ops", scopes: ["operate"] })).token;
});
afterAll(() => test.drop());

function call(method: "PUT" | "DELETE", path: string, token: string) {
  const [code, ...cidr] = path.split("/");
  const request = new NextRequest(`http://console.test/api/v1/pops/${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return routes[method](request, { params: Promise.resolve({ code: code!, cidr: cidr.slice(1) }) });
}

describe("PUT and DELETE /api/v1/pops/{code}/prefixes/{prefix}", () => {
  it("assigns a prefix withdrawn for an admin's operate token (201, then 200), and removes it", async () => {
    const first = await call("PUT", "NEW1/prefixes/2001:db8:53::/48", tokens.admin);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ pop: "NEW1", prefix: "2001:db8:53::/48", desiredState: "withdrawn", observedState: null, created: true });
    expect((await call("PUT", "new1/prefixes/2001:db8:53::/48", tokens.admin)).status).toBe(200);
    expect(await test.db.auditEvent.count({ where: { action: "pop.prefix.assign", actorName: "boss" } })).toBe(1);

    const removed = await call("DELETE", "NEW1/prefixes/2001:db8:53::/48", tokens.admin);
    expect(removed.status).toBe(200);
    expect(await test.db.announcement.count()).toBe(0);
    expect((await call("DELETE", "NEW1/prefixes/2001:db8:53::/48", tokens.admin)).status).toBe(404);
  });

  it("refuses an operator, a token without the operate scope, and a prefix the fleet lacks", async () => {
    expect((await call("PUT", "NEW1/prefixes/2001:db8:53::/48", tokens.operator)).status).toBe(403);
    expect((await call("PUT", "NEW1/prefixes/2001:db8:53::/48", tokens.adminRead)).status).toBe(403);
    const unknown = await call("PUT", "NEW1/prefixes/198.51.100.0/24", tokens.admin);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toContain("There is no prefix 198.51.100.0/24");
    expect(await test.db.announcement.count()).toBe(0);
  });

  it("refuses to remove an announced prefix with the reason (409)", async () => {
    await call("PUT", "NEW1/prefixes/2001:db8:53::/48", tokens.admin);
    await test.db.announcement.updateMany({ data: { desiredState: "announced", observedState: "announced" } });
    const refused = await call("DELETE", "NEW1/prefixes/2001:db8:53::/48", tokens.admin);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.message).toContain("withdraw it there first");
    expect(await test.db.announcement.count()).toBe(1);
  });
});
