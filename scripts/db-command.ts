// The frame of the commands that change the console's database from a shell (`npm run token`,
// `npm run user`): arguments first, then DATABASE_URL and one connection. Exit codes: 0 done;
// 1 refused (an AppError: its message, e.g. an unknown user) or no database to reach (one
// line saying why); 2 usage.
import { config } from "../lib/config";
import type { Actor } from "../lib/server/audit";
import { unreachableReason } from "../lib/server/db/connection-error";
import { createDbClient, type Db } from "../lib/server/db/create-client";
import { AppError } from "../lib/server/errors";

/** Who the audit log names for a change made from a shell. */
export const CLI_ACTOR: Actor = { id: null, name: "cli" };

/** Wrong arguments: the message, then the usage. */
export class UsageError extends Error {}

const isUsageError = (error: unknown): error is Error =>
  // parseArgs throws TypeErrors with a code (ERR_PARSE_ARGS_…) for unknown or malformed options.
  error instanceof UsageError || (error instanceof TypeError && "code" in error);

/** Parses `argv`, runs the command on the database and prints what it returns; resolves to the exit code. */
export async function runDbCommand<P>(
  name: string,
  usage: string,
  argv: string[],
  parse: (argv: string[]) => P,
  run: (db: Db, parsed: P) => Promise<string>,
): Promise<number> {
  const refuse = (message: string, code: 1 | 2) => {
    console.error(`catchment ${name}: ${message}${code === 2 ? `\n${usage}` : ""}`);
    return code;
  };
  let parsed: P;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (isUsageError(error)) return refuse(error.message, 2);
    throw error;
  }
  const url = config().DATABASE_URL;
  if (!url) {
    console.error(`catchment ${name}: set DATABASE_URL to the console's database`);
    return 2;
  }
  const unreachable = await unreachableReason(url);
  if (unreachable) return refuse(unreachable, 1);
  const db = createDbClient(url, 1);
  try {
    console.log(await run(db, parsed));
    return 0;
  } catch (error) {
    if (isUsageError(error)) return refuse(error.message, 2);
    if (error instanceof AppError) return refuse(error.message, 1);
    throw error;
  } finally {
    await db.$disconnect();
  }
}
