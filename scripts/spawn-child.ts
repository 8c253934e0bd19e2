import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * A Node.js process `npm start` runs beside itself (the console's server, the demo agents, the
 * probe simulator), with `args` after `node`. It leads its own process group, so that stopping
 * it stops whatever it started, and it stops on its own when `npm start` is killed outright
 * (stop-with-parent.cjs). Its environment is `env` alone.
 */
export function spawnChild(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--require", path.resolve("scripts/stop-with-parent.cjs"), ...args], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...env, CATCHMENT_PARENT_PID: String(process.pid) },
    detached: true,
  });
}
