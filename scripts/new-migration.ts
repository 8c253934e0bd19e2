// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that takes the committed migrations to prisma/schema.prisma.
// Uses DATABASE_URL's server for the shadow database, or a throwaway embedded Postgres.
import { config } from "../lib/config";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/server/db/embedded-postgres";
import { diffMigrationsToSchema, migrationsDir } from "../lib/server/db/schema-engine";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name in snake_case>");
  process.exit(2);
}

const databaseUrl = config().DATABASE_URL;
const server = databaseUrl
  ? { url: databaseUrl, stop: async () => {} }
  : await startEmbeddedPostgres({ dataDir: mkdtempSync(path.join(os.tmpdir(), "catchment-shadow-")), port: 26500 + (process.pid % 500), persistent: false });
try {
  const sql = await diffMigrationsToSchema(server.url);
  if (!sql) {
    console.log("schema.prisma and the migrations agree: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql + "\n");
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await server.stop();
}
