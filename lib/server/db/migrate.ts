// Applies prisma/migrations/*/migration.sql in order, each in its own transaction.
// Bookkeeping uses Prisma's own `_prisma_migrations` table, so `prisma migrate deploy`
// and `prisma migrate status` agree with it wherever the native engine is available.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// Prisma's advisory lock key: two starters never migrate at once, nor race with `prisma migrate`.
const MIGRATION_LOCK = 72707369;

export type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir = path.resolve("prisma/migrations")): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies the pending migrations; returns the names of those it applied. */
export async function applyMigrations(databaseUrl: string, migrations = readMigrations()): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    // Asked first: a role that may not create tables can still find the database up to date.
    const { rows: [bookkeeping] } = await client.query<{ table: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS table`);
    if (!bookkeeping?.table) await client.query(`CREATE TABLE "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was edited after it was applied to this database.`);
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.end();
  }
}

/**
 * What the console's role may do, given by the owner of the schema after each migration (so
 * new tables are covered): read and write every table but the audit log, which it may only
 * append to and read, and the migrations' bookkeeping, which it may only read. It owns nothing,
 * so it can neither alter a table (`DISABLE TRIGGER`) nor drop one.
 */
export async function grantConsoleAccess(ownerUrl: string, role: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const grantee = client.escapeIdentifier(role);
    await client.query(`BEGIN;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${grantee};
      REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "audit_event" FROM ${grantee};
      REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "_prisma_migrations" FROM ${grantee};
      GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${grantee};
      COMMIT;`);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Whether the role of `url` could get past the audit log's append-only guard: a superuser, or
 * a member of the role that owns the table (which may `DISABLE TRIGGER`).
 */
export async function canBypassAuditLog(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bypass: boolean }>(
      `SELECT r.rolsuper OR coalesce(pg_has_role(current_user, c.relowner, 'MEMBER'), false) AS bypass
         FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass('"audit_event"')
        WHERE r.rolname = current_user`,
    );
    return rows[0]?.bypass ?? true;
  } finally {
    await client.end();
  }
}

/** The user name in a Postgres URL. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

export type DatabaseRoles = { ownerUrl: string; consoleUrl: string };

/** Refused: the role given to migrate may not change the schema. */
export class MigrationPrivilegeError extends Error {}

/**
 * What a database needs before the console serves from it, for `npm start`, `npm run db:migrate`
 * and the tests alike: the migrations applied as the schema's owner, then the console's role
 * granted what it needs (new tables included), and whether that role could still get past the
 * audit log's guard (a superuser, or the table's owner), for the caller to warn about.
 */
export async function migrateDatabase({ ownerUrl, consoleUrl }: DatabaseRoles): Promise<{ applied: string[]; consoleCanBypassAuditLog: boolean }> {
  let applied: string[];
  try {
    applied = await applyMigrations(ownerUrl);
  } catch (error) {
    // insufficient_privilege: a role of the console's kind, given without the owner's URL.
    if ((error as { code?: string }).code !== "42501") throw error;
    throw new MigrationPrivilegeError(
      `"${roleOf(ownerUrl)}" may not apply the pending migrations: set DATABASE_OWNER_URL to the URL of the role that owns the schema (README, "Database roles").`,
    );
  }
  if (roleOf(ownerUrl) !== roleOf(consoleUrl)) await grantConsoleAccess(ownerUrl, roleOf(consoleUrl));
  return { applied, consoleCanBypassAuditLog: await canBypassAuditLog(consoleUrl) };
}

/** The start's warning when the console's role could rewrite the audit log. */
export function auditLogBypassWarning(consoleUrl: string): string {
  return `warning: the console's role "${roleOf(consoleUrl)}" is a superuser or owns the audit log, so a flaw in the console could rewrite it. Give the console a role of its own and the owner's URL in DATABASE_OWNER_URL (README, "Database roles").`;
}
