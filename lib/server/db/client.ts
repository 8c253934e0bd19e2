import "server-only";
import { createDbClient, type Db } from "./create-client";

function connect(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the console with `npm start`.");
  return createDbClient(url, Number(process.env.DATABASE_POOL_SIZE ?? 10));
}

// One client per server process; it survives hot reloads in development.
const globalForDb = globalThis as unknown as { catchmentDb?: Db };

export const db: Db = globalForDb.catchmentDb ?? connect();
globalForDb.catchmentDb = db;
