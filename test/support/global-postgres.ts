// Vitest global setup for integration tests: one real Postgres server for the run.
// TEST_DATABASE_URL points at an existing server (for example Debian's postgresql-15);
// without it an embedded Postgres starts in a temporary folder and is removed afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../lib/server/db/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("postgresAdminUrl", process.env.TEST_DATABASE_URL);
    return;
  }
  // The data folder in a folder of its own: its password file and owner's pid are written beside it.
  const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-test-pg-"));
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, "postgres"),
    port: 26000 + (process.pid % 500),
    database: "postgres_admin",
    persistent: false,
  });
  project.provide("postgresAdminUrl", server.url);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
