// `npm run db:migrate`: what `npm start` does to a Postgres you run yourself before serving:
// the migrations applied as the schema's owner (DATABASE_OWNER_URL, else DATABASE_URL's role),
// then DATABASE_URL's role granted what the console needs, new tables included.
import { config } from "../lib/config";
import { auditLogBypassWarning, MigrationPrivilegeError, migrateDatabase } from "../lib/server/db/migrate";

const consoleUrl = config().DATABASE_URL;
if (!consoleUrl) {
  console.error("catchment db:migrate: set DATABASE_URL (and DATABASE_OWNER_URL when another role owns the schema)");
  process.exitCode = 2;
} else {
  try {
    const { applied, consoleCanBypassAuditLog } = await migrateDatabase({ ownerUrl: config().DATABASE_OWNER_URL ?? consoleUrl, consoleUrl });
    console.log(applied.length ? `applied ${applied.join(", ")}` : "the database is up to date");
    if (consoleCanBypassAuditLog) console.warn(auditLogBypassWarning(consoleUrl));
  } catch (error) {
    if (!(error instanceof MigrationPrivilegeError)) throw error;
    console.error(`catchment db:migrate: ${error.message}`);
    process.exitCode = 1;
  }
}
