// `npm run db:migrate` on a Postgres you run yourself leaves the console's role able to use every
// table, those of the newest migrations included: it used to migrate as DATABASE_URL's role and
// grant nothing, so a new table answered "permission denied" until `npm start` ran.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runToEnd } from "@/test/support/run-to-end";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const migrate = (env: Record<string, string>) =>
  runToEnd(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { env: { ...process.env, DATABASE_OWNER_URL: "", ...env } });

async function asConsoleRole(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: test.consoleUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe("npm run db:migrate", { timeout: 60_000 }, () => {
  it("grants the console's role the tables a migration added, as the owner of DATABASE_OWNER_URL", async () => {
    // As after a migration that added agent_request_seen, before anything granted it.
    const role = new URL(test.consoleUrl).username;
    await test.db.$executeRawUnsafe(`REVOKE ALL ON "agent_request_seen" FROM "${role}"`);
    await expect(asConsoleRole(`SELECT count(*) FROM "agent_request_seen"`)).rejects.toThrow(/permission denied/);

    const migrated = await migrate({ DATABASE_URL: test.consoleUrl, DATABASE_OWNER_URL: test.url });
    expect([migrated.status, migrated.stdout.trim()]).toEqual([0, "the database is up to date"]);
    await asConsoleRole(`SELECT count(*) FROM "agent_request_seen"`);
    await expect(asConsoleRole(`DELETE FROM "audit_event"`)).rejects.toThrow(/permission denied/);
  });

  it("with the console's role alone and a migration pending, says to set DATABASE_OWNER_URL", async () => {
    await test.db.$executeRawUnsafe(`DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`);
    const refused = await migrate({ DATABASE_URL: test.consoleUrl });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/may not apply the pending migrations: set DATABASE_OWNER_URL/);
  });
});
