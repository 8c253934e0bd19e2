import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditQuery } from "@/lib/domain/audit-query";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { listAuditEvents, streamAuditEvents, type AuditRow } from "./list-audit-events";
import { popData } from "@/test/support/factories";

let test: TestDatabase;
let ams: number;
let fra: number;
let adminId: string;
let viewerId: string;

// Each group of tests writes its own rows in its own year, and filters on it.
const at = (text: string) => new Date(`${text}Z`);
const filter = (raw: Record<string, string>) => auditQuery.parse(raw);
const actions = (rows: AuditRow[]) => rows.map((row) => row.action);

beforeAll(async () => {
  test = await createTestDatabase();
  const pop = (code: string) => test.db.pop.create({
    data: popData(code, { city: code, longitude: 4 }),
  });
  ams = (await pop("AMS1")).id;
  fra = (await pop("FRA1")).id;
  const gone = (await pop("GON1")).id;
  adminId = (await test.db.user.create({ data: { username: "admin", name: "Demo Admin", role: "admin" } })).id;
  viewerId = (await test.db.user.create({ data: { username: "viewer", name: "Demo Viewer", role: "viewer" } })).id;
  await test.db.auditEvent.createMany({
    data: [
      { at: at("2026-01-01T00:00:00"), actorName: "system", action: "demo.seed", targetType: "fleet" },
      { at: at("2026-01-01T10:00:00"), actorId: adminId, actorName: "admin", action: "pop.update", targetType: "pop", targetId: "AMS1", popId: ams, detail: { changed: {} } },
      { at: at("2026-01-01T11:00:00"), actorId: viewerId, actorName: "viewer", action: "auth.sign_in", ip: "192.0.2.1" },
      { at: at("2026-01-02T09:00:00"), actorName: "mallory", action: "auth.sign_in_failed", detail: { reason: "wrong credentials" } },
      // Signed in through SSO: the entry kept the display name, the id still says who.
      { at: at("2026-01-02T10:00:00"), actorId: adminId, actorName: "Demo Admin", action: "auth.sign_in", detail: { method: "oidc" } },
      { at: at("2026-01-03T12:00:00"), actorId: adminId, actorName: "admin", action: "pop.create", targetType: "pop", targetId: "FRA1", popId: fra },
      { at: at("2026-01-04T00:00:00"), actorName: "ops_bot", action: "auth.signXin" },
      { at: at("2026-01-04T01:00:00"), actorName: "opsxbot", action: "auth.sign_out" },
      { at: at("2026-01-05T00:00:00"), actorId: adminId, actorName: "admin", action: "pop.create", targetType: "pop", targetId: "GON1", popId: gone },
    ],
  });
  await test.db.pop.delete({ where: { id: gone } });
});
afterAll(() => test.drop());

describe("listAuditEvents filters", () => {
  const in2026 = { from: "2026-01-01", to: "2026-01-31" };

  it("lists newest first, joined with the PoP code (null once the PoP is gone)", async () => {
    const { rows, hasMore } = await listAuditEvents(test.db, filter(in2026));
    expect(actions(rows)).toEqual(["pop.create", "auth.sign_out", "auth.signXin", "pop.create", "auth.sign_in", "auth.sign_in_failed", "auth.sign_in", "pop.update", "demo.seed"]);
    expect(hasMore).toBe(false);
    expect(rows.map((row) => row.popCode)).toEqual([null, null, null, "FRA1", null, null, null, "AMS1", null]);
    expect(rows[0]).toMatchObject({ targetId: "GON1", popId: expect.any(Number) });
  });

  it("by PoP code; an unknown code gives no rows, not an error", async () => {
    expect(actions((await listAuditEvents(test.db, filter({ ...in2026, pop: "ams1" }))).rows)).toEqual(["pop.update"]);
    expect(await listAuditEvents(test.db, filter({ pop: "XXX9" }))).toEqual({ rows: [], hasMore: false });
  });

  it("by user: a user's entries by id whatever name they kept; other names as written, any case", async () => {
    const admin = (await listAuditEvents(test.db, filter({ ...in2026, user: "Admin" }))).rows;
    expect(admin.map((row) => `${row.actorName} ${row.action}`)).toEqual(["admin pop.create", "admin pop.create", "Demo Admin auth.sign_in", "admin pop.update"]);
    expect(actions((await listAuditEvents(test.db, filter({ user: "SYSTEM" }))).rows)).toEqual(["demo.seed"]);
    expect(actions((await listAuditEvents(test.db, filter({ user: "mallory" }))).rows)).toEqual(["auth.sign_in_failed"]);
    expect(await listAuditEvents(test.db, filter({ user: "nobody" }))).toEqual({ rows: [], hasMore: false });
  });

  it("takes user names and actions literally: an underscore is not a wildcard", async () => {
    expect((await listAuditEvents(test.db, filter({ user: "ops_bot" }))).rows.map((row) => row.actorName)).toEqual(["ops_bot"]);
    expect(actions((await listAuditEvents(test.db, filter({ ...in2026, action: "auth.sign_in" }))).rows)).toEqual(["auth.sign_in", "auth.sign_in_failed", "auth.sign_in"]);
  });

  it("by action prefix", async () => {
    expect(actions((await listAuditEvents(test.db, filter({ ...in2026, action: "pop." }))).rows)).toEqual(["pop.create", "pop.create", "pop.update"]);
    expect(actions((await listAuditEvents(test.db, filter({ ...in2026, action: "auth.sign_out" }))).rows)).toEqual(["auth.sign_out"]);
  });

  it("by time: `from` inclusive, `to` up to the end of the day or minute it names", async () => {
    expect(actions((await listAuditEvents(test.db, filter({ from: "2026-01-02", to: "2026-01-02" }))).rows)).toEqual(["auth.sign_in", "auth.sign_in_failed"]);
    expect(actions((await listAuditEvents(test.db, filter({ from: "2026-01-01T10:00", to: "2026-01-01T11:00" }))).rows)).toEqual(["auth.sign_in", "pop.update"]);
    expect(actions((await listAuditEvents(test.db, filter({ from: "2026-01-01T10:00:01", to: "2026-01-01T10:59" }))).rows)).toEqual([]);
  });

  it("combines filters", async () => {
    const { rows } = await listAuditEvents(test.db, filter({ user: "admin", action: "pop.", from: "2026-01-03", to: "2026-01-03" }));
    expect(rows.map((row) => row.targetId)).toEqual(["FRA1"]);
  });
});

describe("listAuditEvents paging", () => {
  // 25 rows in 2025, in pairs that share a timestamp, so pages split ties in `at`.
  const total = 25;
  beforeAll(async () => {
    await test.db.auditEvent.createMany({
      data: Array.from({ length: total }, (_, i) => ({
        at: new Date(Date.UTC(2025, 5, 1, 0, Math.floor(i / 2))),
        actorName: "pager",
        action: "paging.test",
        targetType: "n",
        targetId: String(i),
      })),
    });
  });

  it("walks three pages by cursor with no duplicate and no gap, in (at, id) order", async () => {
    const base = { action: "paging." };
    const pages: AuditRow[][] = [];
    let cursor: string | undefined;
    let hasMore = true;
    while (hasMore) {
      const page = await listAuditEvents(test.db, filter({ ...base, ...(cursor ? { cursor } : {}) }), { limit: 10 });
      pages.push(page.rows);
      hasMore = page.hasMore;
      cursor = String(page.rows.at(-1)!.id);
    }
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    const seen = pages.flat();
    expect(new Set(seen.map((row) => row.id)).size).toBe(total);
    // Newest first; within one timestamp the later insert first.
    expect(seen.map((row) => Number(row.targetId))).toEqual(Array.from({ length: total }, (_, i) => total - 1 - i));
    const all = (await listAuditEvents(test.db, filter(base), { limit: 100 })).rows;
    expect(seen.map((row) => row.id)).toEqual(all.map((row) => row.id));
  });

  it("a cursor keeps the other filters", async () => {
    const first = await listAuditEvents(test.db, filter({ from: "2025-06-01T00:05", to: "2025-06-01T00:09", action: "paging." }), { limit: 3 });
    expect(first.rows.map((row) => row.targetId)).toEqual(["19", "18", "17"]);
    const next = await listAuditEvents(test.db, filter({ from: "2025-06-01T00:05", to: "2025-06-01T00:09", action: "paging.", cursor: String(first.rows[2]!.id) }), { limit: 100 });
    expect(next.rows.map((row) => row.targetId)).toEqual(["16", "15", "14", "13", "12", "11", "10"]);
    expect(next.hasMore).toBe(false);
  });

  it("an unknown cursor gives no rows", async () => {
    expect(await listAuditEvents(test.db, filter({ cursor: "999999999" }))).toEqual({ rows: [], hasMore: false });
  });
});

describe("streamAuditEvents", () => {
  const total = 2345;
  beforeAll(async () => {
    const start = Date.UTC(2024, 0, 1);
    await test.db.auditEvent.createMany({
      data: Array.from({ length: total }, (_, i) => ({
        at: new Date(start + Math.floor(i / 3) * 1000),
        actorName: "bulk",
        action: i % 2 ? "bulk.odd" : "bulk.even",
        targetType: "n",
        targetId: String(i),
        popId: i % 5 === 0 ? ams : null,
      })),
    });
  });

  async function drain(rows: AsyncIterable<AuditRow>) {
    const out: AuditRow[] = [];
    for await (const row of rows) out.push(row);
    return out;
  }

  it("yields every row of more than one page, newest first, each once", async () => {
    const rows = await drain(streamAuditEvents(test.db, filter({ action: "bulk." })));
    expect(rows).toHaveLength(total);
    expect(rows.map((row) => Number(row.targetId))).toEqual(Array.from({ length: total }, (_, i) => total - 1 - i));
    expect(rows.filter((row) => row.popCode === "AMS1")).toHaveLength(Math.ceil(total / 5));
  });

  it("applies the filter, and pages of any size give the same rows", async () => {
    const odd = await drain(streamAuditEvents(test.db, filter({ action: "bulk.odd" })));
    expect(odd).toHaveLength(Math.floor(total / 2));
    const small = await drain(streamAuditEvents(test.db, filter({ action: "bulk.odd" }), { pageSize: 7 }));
    expect(small.map((row) => row.id)).toEqual(odd.map((row) => row.id));
    expect(await drain(streamAuditEvents(test.db, filter({ pop: "NOPE1" })))).toEqual([]);
  });

  it("never includes an entry written after its first page was read (the export's own entry)", async () => {
    const rows = streamAuditEvents(test.db, filter({ action: "bulk." }));
    const first = await rows.next();
    await test.db.auditEvent.create({ data: { actorName: "bulk", action: "bulk.export", targetId: "late" } });
    const rest = await drain({ [Symbol.asyncIterator]: () => rows });
    expect(first.done).toBe(false);
    expect(rest).toHaveLength(total - 1);
    expect(rest.some((row) => row.targetId === "late")).toBe(false);
    // ...while the next export sees it, at the top.
    expect((await streamAuditEvents(test.db, filter({ action: "bulk." })).next()).value?.targetId).toBe("late");
  });
});
