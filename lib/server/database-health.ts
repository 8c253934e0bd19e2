import "server-only";
import { db } from "./db/client";
import { log } from "./log";

const CHECK_TIMEOUT_MS = 3000;
// The route needs no session: however often it is asked, the database sees one query in this
// time, and the log one line while the database does not answer.
const ANSWER_KEPT_MS = 2000;
const LOG_EVERY_MS = 60_000;

let latest: { answer: Promise<boolean>; answeredAt: number | null } | null = null;
let loggedAt = 0;

async function check(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return true;
  } catch (error) {
    if (Date.now() - loggedAt >= LOG_EVERY_MS) {
      loggedAt = Date.now();
      log.warn({ event: "health.database_unreachable", err: error }, "the console's database does not answer");
    }
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the console's database answers a trivial query within a few seconds. Callers while a
 * check is in flight, or within ANSWER_KEPT_MS of its answer, share that answer.
 */
export function databaseAnswers(): Promise<boolean> {
  const fresh = latest && (latest.answeredAt === null || Date.now() - latest.answeredAt < ANSWER_KEPT_MS);
  if (!fresh) {
    const current: { answer: Promise<boolean>; answeredAt: number | null } = { answer: check(), answeredAt: null };
    void current.answer.then(() => (current.answeredAt = Date.now()));
    latest = current;
  }
  return latest!.answer;
}
