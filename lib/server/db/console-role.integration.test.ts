// The console's database role (point 5 of issue #14): it reads and writes what the console
// needs, but cannot get past the audit log's append-only guard, as its owner could. Runs
// against the embedded Postgres and, in `npm test`, Debian's PostgreSQL 15 (TEST_DATABASE_URL).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationInput } from "@/lib/domain/operations/operation-input";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { createApiToken } from "../auth/api-token";
import { createDbClient, type Db } from "./create-client";
import { canBypassAuditLog } from "./migrate";
import { popData, prefixData } from "@/test/support/factories";

let test: TestDatabase;
let consoleDb: Db;
let asConsole: pg.Client;

beforeAll(async () => {
  test = await createTestDatabase();
  consoleDb = createDbClient(test.consoleUrl, 2);
  asConsole = new pg.Client({ connectionString: test.consoleUrl });
  await asConsole.connect();
  await test.db.auditEvent.create({ data: { actorName: "tester", action: "test.before" } });
});

afterAll(async () => {
  await asConsole.end();
  await consoleDb.$disconnect();
  await test.drop();
});

const auditCount = async () => Number((await asConsole.query("SELECT count(*) AS n FROM audit_event")).rows[0].n);

describe("the console's role", () => {
  it.each([
    ["ALTER TABLE audit_event DISABLE TRIGGER ALL", /must be owner/],
    ["ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_delete", /must be owner/],
    ["SET session_replication_role = replica", /permission denied/],
    ["DELETE FROM audit_event", /permission denied/],
    ["UPDATE audit_event SET action = 'rewritten'", /permission denied/],
    ["TRUNCATE audit_event", /permission denied/],
    ["DROP TABLE audit_event", /must be owner/],
    ["DROP TRIGGER audit_event_no_update_delete ON audit_event", /must be owner/],
    ["ALTER TABLE audit_event OWNER TO CURRENT_USER", /must be owner/],
    ["CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$", /must be owner|permission denied/],
    ["CREATE TABLE mine (id int)", /permission denied/],
    ["DELETE FROM _prisma_migrations", /permission denied/],
  ])("is refused %s", async (sql, refusal) => {
    const before = await auditCount();
    await expect(asConsole.query(sql)).rejects.toThrow(refusal);
    expect(await auditCount()).toBe(before);
  });

  it("appends to the audit log and reads it", async () => {
    const event = await consoleDb.auditEvent.create({ data: { actorName: "console", action: "test.append" } });
    expect(await consoleDb.auditEvent.findUnique({ where: { id: event.id } })).toMatchObject({ action: "test.append" });
  });

  it("is no superuser, owns nothing and cannot get past the guard; the owner could", async () => {
    const { rows } = await asConsole.query(
      `SELECT r.rolsuper AS superuser,
              (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({ superuser: false, owned: 0 });
    expect(await canBypassAuditLog(test.consoleUrl)).toBe(false);
    expect(await canBypassAuditLog(test.url)).toBe(true);
  });

  it("makes the console's writes: inventory, tokens, an operation under the prefix lock, with their audit records", async () => {
    process.env.DATABASE_URL = test.consoleUrl;
    const { requestOperation } = await import("../operations/request-operation");
    const prefix = await consoleDb.prefix.create({ data: prefixData("192.0.2.0/24") });
    for (const code of ["AAA1", "BBB1"]) {
      const pop = await consoleDb.pop.create({
        data: popData(code, { latitude: 50 }),
      });
      await consoleDb.announcement.create({ data: { popId: pop.id, prefixId: prefix.id, observedState: "announced" } });
    }
    await consoleDb.pop.update({ where: { code: "AAA1" }, data: { capacityGbps: 200 } });
    const user = await consoleDb.user.create({ data: { username: "op", name: "Op", role: "operator" } });
    await createApiToken(consoleDb, { userId: user.id, name: "feed", scopes: ["ingest"] });
    await consoleDb.apiToken.deleteMany({ where: { userId: user.id } });

    const requested = await requestOperation(
      consoleDb,
      operationInput.parse({ kind: "drain", popCodes: "AAA1", prependCount: 3, reason: "as the console's role" }),
      { id: user.id, name: user.username, role: "operator" },
      "192.0.2.50",
    );
    expect(requested.status).toBe("accepted");
    expect(await consoleDb.auditEvent.count({ where: { action: { startsWith: "operation." } } })).toBeGreaterThan(0);
  });
});
