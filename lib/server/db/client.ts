import "server-only";
import { config } from "@/lib/config";
import { createDbClient, type Db } from "./create-client";

/**
 * The console's connections stay open through a quiet spell. A new one costs a Postgres
 * backend, its authentication and cold caches and plans: a catchment map computed on fresh
 * connections took 200 to 430 ms against 110 to 140 ms on open ones (measured alone; several
 * times both on a busy machine), and with the default 10 s every map asked for after a
 * pause paid it.
 */
const IDLE_CONNECTION_MS = 10 * 60_000;

/** The console's database, for the work that needs a connection of its own (a catchment file's COPY). */
export function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the console with `npm start`.");
  return url;
}

function connect(): Db {
  return createDbClient(databaseUrl(), config().DATABASE_POOL_SIZE, IDLE_CONNECTION_MS);
}

// One client per server process; it survives hot reloads in development.
const globalForDb = globalThis as unknown as { catchmentDb?: Db };

export const db: Db = globalForDb.catchmentDb ?? connect();
globalForDb.catchmentDb = db;
