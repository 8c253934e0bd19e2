// Seeds the console's database for a running lab and hands the reporter its ingest token.
// Run by scripts/start.ts in lab mode (CATCHMENT_LAB_RUN_DIR), with --conditions=react-server
// because the token code is server-only.
//   DATABASE_URL=... CATCHMENT_LAB_RUN_DIR=... CATCHMENT_LAB_CONSOLE_URL=... node --conditions=react-server --import tsx lab/seed-cli.ts
import { createDbClient } from "../lib/server/db/create-client";
import { readLabInfo, setLabIngest } from "./lab";
import { seedLab } from "./seed";

const runDir = process.env.CATCHMENT_LAB_RUN_DIR;
const url = process.env.CATCHMENT_LAB_CONSOLE_URL;
if (!runDir || !url || !process.env.DATABASE_URL) {
  console.error("lab seed: needs DATABASE_URL, CATCHMENT_LAB_RUN_DIR and CATCHMENT_LAB_CONSOLE_URL");
  process.exit(2);
}
const db = createDbClient(process.env.DATABASE_URL, 2);
try {
  const lab = readLabInfo(runDir);
  const { ingestToken, created } = await seedLab(db, lab);
  setLabIngest(runDir, { url, token: ingestToken });
  console.log(`catchment: ${created ? "seeded" : "updated"} the lab fleet (${lab.pops.map((pop) => pop.code).join(", ")}, ${lab.prefix}); the lab's probes post to ${url}`);
} finally {
  await db.$disconnect();
}
