// The agent -> console routes, called as Next.js calls them, against a real Postgres: signed
// with each PoP's own secret, floor checked under the prefix lock.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AgentReport, LeaseResponse } from "@/lib/agent-protocol/schemas";
import { signRequest } from "@/lib/agent-protocol/signing";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData } from "@/test/support/factories";

const PREFIX = "192.0.2.0/24";
const CODES = ["AAA1", "BBB1", "CCC1", "DDD1", "EEE1"];
const secretOf = (code: string) => `secret-of-${code}-0123456789`;

let test: TestDatabase;
let routes: {
  leases: typeof import("@/app/api/v1/agents/[code]/leases/route").POST;
  health: typeof import("@/app/api/v1/agents/[code]/health/route").POST;
};
let prefixId: number;
const popIds = new Map<string, number>();

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  process.env.CATCHMENT_LEASE_TTL_MS = "30000";
  routes = {
    leases: (await import("@/app/api/v1/agents/[code]/leases/route")).POST,
    health: (await import("@/app/api/v1/agents/[code]/health/route")).POST,
  };
  const prefix = await test.db.prefix.create({ data: { cidr: PREFIX, family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 2 } });
  prefixId = prefix.id;
  for (const [index, code] of CODES.entries()) {
    const pop = await test.db.pop.create({
      data: popData(code, { latitude: 50 + index, agentUrl: "http://127.0.0.1:1", agentSecret: secretOf(code) }),
    });
    popIds.set(code, pop.id);
    await test.db.announcement.create({ data: { popId: pop.id, prefixId: prefix.id, observedState: "announced" } });
  }
}, 60_000);

afterAll(async () => {
  await test.drop();
});

beforeEach(async () => {
  await test.db.withdrawLease.deleteMany();
  await test.db.announcement.updateMany({ data: { desiredState: "announced", observedState: "announced", observedAt: null } });
});

async function call(route: "leases" | "health", code: string, body: unknown, { secret = secretOf(code), now }: { secret?: string; now?: number } = {}) {
  const path = `/api/v1/agents/${code}/${route}`;
  const text = JSON.stringify(body);
  const request = new NextRequest(`http://console.test${path}`, {
    method: "POST",
    body: text,
    headers: { "content-type": "application/json", authorization: signRequest({ secret, method: "POST", path, body: text, now }) },
  });
  const response = await routes[route](request, { params: Promise.resolve({ code }) });
  return { status: response.status, body: (await response.json()) as LeaseResponse & { error?: { code: string; message: string } } };
}

const acquire = (code: string) => call("leases", code, { prefix: PREFIX, action: "acquire", reason: "health check dns down" });

describe("POST /api/v1/agents/{code}/leases", () => {
  it("grants while the floor holds without the requester, with an expiry, and records it", async () => {
    const answer = await acquire("AAA1");
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ granted: true, ttlMs: 30_000 });
    const lease = await test.db.withdrawLease.findUniqueOrThrow({ where: { id: answer.body.leaseId! } });
    expect(lease).toMatchObject({ popId: popIds.get("AAA1"), prefixId, releasedAt: null });
    expect(lease.expiresAt.getTime() - lease.grantedAt.getTime()).toBe(30_000);
    // Counted as withdrawn at once, before the agent reports: an operator's floor check sees it.
    expect(await test.db.announcement.findFirstOrThrow({ where: { popId: popIds.get("AAA1") } })).toMatchObject({ observedState: "withdrawn" });
    expect(await test.db.auditEvent.count({ where: { action: "lease.granted", popId: popIds.get("AAA1") } })).toBeGreaterThan(0);
  });

  it("refuses when the other PoPs announcing undrained are fewer than the floor", async () => {
    // Besides AAA1, three of four have drained (their checks failed): one is left, and the floor is two.
    await test.db.announcement.updateMany({ where: { popId: { in: ["BBB1", "CCC1", "DDD1"].map((code) => popIds.get(code)!) } }, data: { observedState: "drained" } });
    expect((await acquire("AAA1")).body.granted).toBe(false);
    await test.db.announcement.updateMany({ where: { popId: popIds.get("DDD1") }, data: { observedState: "announced" } });
    expect((await acquire("AAA1")).body.granted).toBe(true);
    await test.db.withdrawLease.deleteMany();
    // Desired drained by an operator counts as drained, whatever the agent last reported.
    await test.db.announcement.updateMany({ where: { popId: popIds.get("DDD1") }, data: { desiredState: "drained" } });
    const answer = await acquire("AAA1");
    expect(answer.body).toMatchObject({ granted: false, leaseId: null });
    expect(answer.body.message).toContain("below its safety floor of 2");
    expect(await test.db.withdrawLease.count()).toBe(0);
  });

  it("concurrent requests from every PoP: at most PoPs minus floor are granted", async () => {
    const answers = await Promise.all(CODES.map((code) => acquire(code)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.filter((answer) => answer.body.granted)).toHaveLength(CODES.length - 2);
    expect(await test.db.withdrawLease.count({ where: { releasedAt: null } })).toBe(CODES.length - 2);
  });

  it("in a correlated failure (every PoP drained) grants none", async () => {
    await test.db.announcement.updateMany({ data: { observedState: "drained" } });
    const answers = await Promise.all(CODES.map((code) => acquire(code)));
    expect(answers.filter((answer) => answer.body.granted)).toHaveLength(0);
  });

  it("an expired lease stops counting, and cannot be renewed", async () => {
    // Floor 2 of 5, three leases held: a fourth is refused.
    for (const code of ["AAA1", "BBB1", "CCC1"]) expect((await acquire(code)).body.granted).toBe(true);
    expect((await acquire("DDD1")).body.granted).toBe(false);
    const aaa = await test.db.withdrawLease.findFirstOrThrow({ where: { popId: popIds.get("AAA1") } });
    // AAA1 recovered and reported announced, but its release never arrived: its live lease
    // still keeps it out of the count...
    await test.db.announcement.updateMany({ where: { popId: popIds.get("AAA1") }, data: { observedState: "announced" } });
    expect((await acquire("DDD1")).body.granted).toBe(false);
    await test.db.withdrawLease.update({ where: { id: aaa.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // ...until it expires: then AAA1 counts again, so DDD1 may go.
    expect((await acquire("DDD1")).body.granted).toBe(true);
    const renew = await call("leases", "AAA1", { prefix: PREFIX, action: "renew", leaseId: aaa.id, reason: "still down" });
    expect(renew.body).toMatchObject({ granted: false });
    expect(renew.body.message).toContain("expired");
  });

  it("renews a live lease while the floor holds, and ends it when the floor no longer holds", async () => {
    const granted = (await acquire("AAA1")).body;
    const renewed = await call("leases", "AAA1", { prefix: PREFIX, action: "renew", leaseId: granted.leaseId, reason: "still down" });
    expect(renewed.body).toMatchObject({ granted: true, leaseId: granted.leaseId });
    await test.db.announcement.updateMany({ where: { popId: { in: ["BBB1", "CCC1", "DDD1"].map((code) => popIds.get(code)!) } }, data: { observedState: "drained" } });
    const refused = await call("leases", "AAA1", { prefix: PREFIX, action: "renew", leaseId: granted.leaseId, reason: "still down" });
    expect(refused.body.granted).toBe(false);
    expect((await test.db.withdrawLease.findUniqueOrThrow({ where: { id: granted.leaseId! } })).releasedAt).not.toBeNull();
  });

  it("releases a lease, after which it no longer counts", async () => {
    const granted = (await acquire("AAA1")).body;
    const released = await call("leases", "AAA1", { prefix: PREFIX, action: "release", leaseId: granted.leaseId, reason: "recovered" });
    expect(released.body).toMatchObject({ granted: false, message: "Released." });
    expect((await test.db.withdrawLease.findUniqueOrThrow({ where: { id: granted.leaseId! } })).releasedAt).not.toBeNull();
    // Another PoP's release of it does nothing.
    const again = (await acquire("AAA1")).body;
    expect((await call("leases", "BBB1", { prefix: PREFIX, action: "release", leaseId: again.leaseId, reason: "x" })).body.message).toContain("nothing to release");
  });

  it("acts on a signed acquire once: the same request sent again within its window is refused and takes no lease", async () => {
    const path = "/api/v1/agents/AAA1/leases";
    const text = JSON.stringify({ prefix: PREFIX, action: "acquire", reason: "health check dns down" });
    const authorization = signRequest({ secret: secretOf("AAA1"), method: "POST", path, body: text });
    const send = async () => {
      const request = new NextRequest(`http://console.test${path}`, { method: "POST", body: text, headers: { "content-type": "application/json", authorization } });
      const response = await routes.leases(request, { params: Promise.resolve({ code: "AAA1" }) });
      return { status: response.status, body: (await response.json()) as LeaseResponse & { error?: { code: string; message: string } } };
    };
    const granted = await send();
    expect(granted.body.granted).toBe(true);
    await call("leases", "AAA1", { prefix: PREFIX, action: "release", leaseId: granted.body.leaseId, reason: "recovered" });

    const replay = await send();
    expect(replay.status).toBe(401);
    expect(replay.body.error?.message).toContain("already received");
    expect(await test.db.withdrawLease.count({ where: { releasedAt: null } })).toBe(0);
    // The agent's next acquire is signed anew, and granted.
    expect((await acquire("AAA1")).body.granted).toBe(true);
  });

  it("forgets accepted signatures once their window has passed", async () => {
    await test.db.agentRequestSeen.deleteMany();
    await acquire("BBB1");
    expect(await test.db.agentRequestSeen.count()).toBe(1);
    await test.db.agentRequestSeen.updateMany({ data: { expiresAt: new Date(Date.now() - 120_000) } });
    await acquire("CCC1");
    expect(await test.db.agentRequestSeen.count()).toBe(1);
  });

  it("refuses a bad signature, another PoP's secret, a stale timestamp, and an unknown PoP", async () => {
    const body = { prefix: PREFIX, action: "acquire", reason: "down" };
    expect((await call("leases", "AAA1", body, { secret: "not-the-secret-0123456789" })).status).toBe(401);
    expect((await call("leases", "AAA1", body, { secret: secretOf("BBB1") })).status).toBe(401);
    expect((await call("leases", "AAA1", body, { now: Date.now() - 120_000 })).status).toBe(401);
    expect((await call("leases", "ZZZ9", body, { secret: "whatever-secret-0123456789" })).status).toBe(404);
    expect((await call("leases", "AAA1", { ...body, prefix: "203.0.113.0/24" })).status).toBe(404);
    expect((await call("leases", "AAA1", { ...body, action: "steal" })).status).toBe(400);
    expect(await test.db.withdrawLease.count()).toBe(0);
  });
});

describe("POST /api/v1/agents/{code}/health", () => {
  const report = (over: Partial<AgentReport> = {}): AgentReport => ({
    sentAt: new Date().toISOString(),
    maintenance: { enabled: false, reason: null, since: null },
    checks: [
      { name: "dns", kind: "dns", service: "dns", target: "127.0.0.1:53", intervalMs: 1000, timeoutMs: 500, rise: 2, fall: 2, state: "down", since: "2026-11-25T22:00:02.000Z", checkedAt: "2026-11-25T22:00:03.000Z", detail: "no DNS answer within 500 ms" },
    ],
    events: [
      { check: "dns", from: "up", to: "falling", at: "2026-11-25T22:00:01.000Z", detail: "no DNS answer within 500 ms" },
      { check: "dns", from: "falling", to: "down", at: "2026-11-25T22:00:02.000Z", detail: "no DNS answer within 500 ms" },
    ],
    announcements: [{ prefix: PREFIX, state: "drained", prepend: 3, cause: "health-drain" }],
    ...over,
  });

  it("records check state, events once (a resent report adds none), observed state, maintenance and an audit event", async () => {
    const first = await call("health", "BBB1", report());
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ events: 2 });
    const again = await call("health", "BBB1", report());
    expect(again.body).toEqual({ events: 0 });
    const popId = popIds.get("BBB1")!;
    expect(await test.db.healthCheck.findFirstOrThrow({ where: { popId } })).toMatchObject({ name: "dns", state: "down", service: "dns", detail: "no DNS answer within 500 ms" });
    expect((await test.db.healthEvent.findMany({ where: { popId }, orderBy: { at: "asc" } })).map((e) => e.toState)).toEqual(["falling", "down"]);
    expect(await test.db.announcement.findFirstOrThrow({ where: { popId } })).toMatchObject({ observedState: "drained", observedPrepend: 3 });
    expect(await test.db.auditEvent.count({ where: { popId, action: "agent.health_report" } })).toBe(2);

    await call("health", "BBB1", report({ maintenance: { enabled: true, reason: "CHG-7", since: new Date().toISOString() }, checks: [], events: [] }));
    expect(await test.db.pop.findUniqueOrThrow({ where: { id: popId } })).toMatchObject({ agentMaintenance: true, agentMaintenanceReason: "CHG-7" });
    expect(await test.db.healthCheck.count({ where: { popId } })).toBe(0);
  });

  it("leaves alone a report sent before the last one applied (the agent stopped waiting for it and sent a newer one)", async () => {
    const popId = popIds.get("CCC1")!;
    const t0 = Date.now();
    const older = report({
      sentAt: new Date(t0).toISOString(),
      checks: [{ ...report().checks[0]!, state: "falling", since: "2026-11-25T22:00:01.000Z" }],
      events: [report().events[0]!],
    });
    const newer = report({ sentAt: new Date(t0 + 1000).toISOString() });
    expect((await call("health", "CCC1", newer)).body).toEqual({ events: 2 });
    const late = await call("health", "CCC1", older);
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ events: 0 });
    expect(await test.db.healthCheck.findFirstOrThrow({ where: { popId } })).toMatchObject({ name: "dns", state: "down" });
    expect(await test.db.auditEvent.count({ where: { popId, action: "agent.health_report" } })).toBe(1);
    // The same report again (sent at the same time) is applied, as any resend is.
    expect((await call("health", "CCC1", newer)).status).toBe(200);
    expect(await test.db.auditEvent.count({ where: { popId, action: "agent.health_report" } })).toBe(2);
    await test.db.healthCheck.deleteMany({ where: { popId } });
    await test.db.healthEvent.deleteMany({ where: { popId } });
  });

  it("is refused without the PoP's signature, and for an unknown PoP", async () => {
    expect((await call("health", "CCC1", report(), { secret: secretOf("AAA1") })).status).toBe(401);
    expect((await call("health", "NOPE1", report(), { secret: "whatever-secret-0123456789" })).status).toBe(404);
    expect(await test.db.healthCheck.count({ where: { popId: popIds.get("CCC1") } })).toBe(0);
  });
});
