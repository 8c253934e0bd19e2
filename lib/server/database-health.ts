import "server-only";
import { db } from "./db/client";
import { log } from "./log";

const CHECK_TIMEOUT_MS = 3000;

/** Whether the console's database answers a trivial query within a few seconds. */
export async function databaseAnswers(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return true;
  } catch (error) {
    log.warn({ event: "health.database_unreachable", err: error }, "the console's database does not answer");
    return false;
  } finally {
    clearTimeout(timer);
  }
}
