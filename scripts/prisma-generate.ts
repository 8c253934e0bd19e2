// `prisma generate` without its native schema-engine download (this project installs from
// the npm registry alone). Generation never runs that engine; the CLI only checks that a
// file is there, so any existing file will do.
import { spawnSync } from "node:child_process";

const result = spawnSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
});
process.exit(result.status ?? 1);
