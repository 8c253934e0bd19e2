// `npm run lab` (Linux, root): the BGP lab (lab/README.md) and a console pointed at it, on its
// own data folder (.data/lab) and Postgres port. Ctrl-C stops the console, then the lab.
import { spawn } from "node:child_process";
import path from "node:path";
import { labUnavailableReason, startLab, stopLab } from "../lab/lab";

const instance = Number(process.env.CATCHMENT_LAB_INSTANCE ?? 0);
const reason = labUnavailableReason();
if (reason) {
  console.error(`lab: ${reason}`);
  process.exit(1);
}
const log = (line: string) => console.log(line);
const info = await startLab({ instance, log });

const console_ = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: "",
    CATCHMENT_DATA_DIR: process.env.CATCHMENT_DATA_DIR ?? path.resolve(".data/lab"),
    CATCHMENT_PG_PORT: process.env.CATCHMENT_PG_PORT ?? "25434",
    CATCHMENT_LAB_RUN_DIR: info.runDir,
    // The drift poller reads the lab agents every 2 s, so a dead BIRD shows within seconds.
    CATCHMENT_POLL_INTERVAL_MS: process.env.CATCHMENT_POLL_INTERVAL_MS ?? "2000",
  },
});
// The lab stops first: its reporter posts every second on a keep-alive connection, which would
// keep the console's next-server from finishing its graceful shutdown.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stopLab({ instance, log });
    if (console_.exitCode === null) console_.kill("SIGINT");
  });
}
console_.on("exit", async (code) => {
  if (!stopping) await stopLab({ instance, log });
  process.exit(code ?? 0);
});
