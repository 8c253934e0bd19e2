// A fresh database with every migration applied, for one integration test file, and a role of
// its own with only what the console's role gets (grantConsoleAccess), as `npm start` sets up.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { applyMigrations, grantConsoleAccess } from "../../lib/server/db/migrate";
import { createDbClient, type Db } from "../../lib/server/db/create-client";

export type TestDatabase = {
  /** The owner's URL and client: any setup a test needs, schema changes included. */
  url: string;
  db: Db;
  /** The URL of the console's role, as the console's server connects. */
  consoleUrl: string;
  drop: () => Promise<void>;
};

function withDatabase(url: string, database: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function asRole(url: string, role: string, password: string) {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = password;
  return parsed.toString();
}

async function asAdmin(adminUrl: string, sql: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("postgresAdminUrl");
  const name = `catchment_test_${randomBytes(6).toString("hex")}`;
  // Roles are the server's, not the database's: one per test database, dropped with it.
  const role = `${name}_console`;
  const password = randomBytes(16).toString("hex");
  await asAdmin(adminUrl, `CREATE DATABASE "${name}"`);
  await asAdmin(adminUrl, `CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`);
  // So that the drop may end the role's connections where the admin is no superuser (Debian's PostgreSQL).
  await asAdmin(adminUrl, `GRANT "${role}" TO CURRENT_USER`);
  const url = withDatabase(adminUrl, name);
  const consoleUrl = asRole(url, role, password);
  // As migrateDatabase does, without its check of the console's role: a connection of that role
  // still closing would stand in the way of the drop on a server where the admin is no superuser.
  await applyMigrations(url);
  await grantConsoleAccess(url, role);
  const db = createDbClient(url, 5);
  return {
    url,
    db,
    consoleUrl,
    drop: async () => {
      await db.$disconnect();
      await asAdmin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await asAdmin(adminUrl, `DROP ROLE IF EXISTS "${role}"`);
    },
  };
}
