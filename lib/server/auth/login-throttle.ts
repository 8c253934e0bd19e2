import "server-only";
import type { Db } from "../db/create-client";

// Free attempts before each further failure doubles the wait, up to the ceiling.
const FREE_FAILURES = 4;
const MAX_DELAY_MS = 15 * 60_000;
// Failures older than this are forgotten.
const WINDOW_MS = 60 * 60_000;

export function delayAfterFailures(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS);
}

/** Milliseconds the caller must still wait before trying any of these keys again. */
export async function throttleWait(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys } } });
  let wait = 0;
  for (const row of rows) {
    const elapsed = now.getTime() - row.lastFailureAt.getTime();
    if (elapsed > WINDOW_MS) continue;
    wait = Math.max(wait, delayAfterFailures(row.failures) - elapsed);
  }
  return Math.max(0, wait);
}

export async function recordFailure(db: Db, keys: string[], now = new Date()): Promise<void> {
  for (const key of keys) {
    // A failure after the window starts the count again.
    await db.$executeRaw`
      INSERT INTO login_throttle (key, failures, last_failure_at) VALUES (${key}, 1, ${now})
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_throttle.last_failure_at < ${new Date(now.getTime() - WINDOW_MS)}
                        THEN 1 ELSE login_throttle.failures + 1 END,
        last_failure_at = EXCLUDED.last_failure_at`;
  }
}

export async function clearFailures(db: Db, keys: string[]): Promise<void> {
  await db.loginThrottle.deleteMany({ where: { key: { in: keys } } });
}
