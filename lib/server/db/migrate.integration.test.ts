import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { applyMigrations, readMigrations } from "./migrate";
import { diffMigrationsToSchema } from "./schema-engine";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

describe("migrations", () => {
  it("agree with schema.prisma", async () => {
    expect(await diffMigrationsToSchema(test.url)).toBe("");
  }, 60_000);

  it("apply once: a second run applies nothing", async () => {
    expect(await applyMigrations(test.url)).toEqual([]);
  });

  it("refuse a migration edited after it was applied", async () => {
    const [first, ...rest] = readMigrations();
    const edited = { ...first!, checksum: "0".repeat(64) };
    await expect(applyMigrations(test.url, [edited, ...rest])).rejects.toThrow(/was edited after it was applied/);
  });

  it("roll back a failing migration whole", async () => {
    const broken = { name: "99999999999999_broken", sql: "CREATE TABLE half_done (id int); SELECT 1/0;", checksum: "x" };
    await expect(applyMigrations(test.url, [...readMigrations(), broken])).rejects.toThrow(/division by zero/);
    const client = new pg.Client({ connectionString: test.url });
    await client.connect();
    const { rows } = await client.query("SELECT to_regclass('half_done') AS t");
    await client.end();
    expect(rows[0].t).toBeNull();
  });
});

describe("the audit log", () => {
  it("is append-only in the database", async () => {
    const event = await test.db.auditEvent.create({ data: { actorName: "tester", action: "test.append" } });
    await expect(test.db.auditEvent.update({ where: { id: event.id }, data: { action: "x" } })).rejects.toThrow(/append-only/);
    await expect(test.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(test.db.$executeRawUnsafe('TRUNCATE "audit_event"')).rejects.toThrow(/append-only/);
    expect(await test.db.auditEvent.count()).toBe(1);
  });
});
