import { defineConfig } from "prisma/config";

// Only `prisma generate` uses this file. Migrations are applied by lib/server/db/migrate.ts,
// which needs no native engine (see README, "Database").
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
