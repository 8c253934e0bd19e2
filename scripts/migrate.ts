// `npm run db:migrate`: applies the migrations in prisma/migrations to DATABASE_URL's database
// (what `npm start` does before serving), for a Postgres you run yourself.
import { applyMigrations } from "../lib/server/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("catchment db:migrate: set DATABASE_URL");
  process.exitCode = 2;
} else {
  const applied = await applyMigrations(url);
  console.log(applied.length ? `applied ${applied.join(", ")}` : "the database is up to date");
}
