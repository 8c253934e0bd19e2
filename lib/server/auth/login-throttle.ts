import "server-only";
import ipaddr from "ipaddr.js";
import type { Db } from "../db/create-client";
import { log } from "../log";

// Two counters slow down failed sign-ins, both kept in login_throttle:
// - one per user name and client address, so that guessing one user's password from one place
//   is slowed while the same user signing in from anywhere else is not (a throttle keyed on the
//   name alone let anyone lock anyone out);
// - one per client address, with more room, against spraying many user names from one place.
export type ThrottleKey = { key: string; scope: "user from address" | "address"; freeFailures: number };

const USER_FREE_FAILURES = 4;
const ADDRESS_FREE_FAILURES = 20;
// Past its free failures, each further failure doubles the wait, up to the ceiling.
const MAX_DELAY_MS = 15 * 60_000;
// Failures older than this are forgotten.
const WINDOW_MS = 60 * 60_000;
// Local user names are at most 64 characters; anything typed beyond that names no one.
const MAX_NAME_IN_KEY = 100;

/**
 * The place an attempt comes from: an IPv4 address, or an IPv6 client's /64 (one client
 * commonly holds a whole /64, and could otherwise spray from a new address at every attempt).
 */
export function throttlePlace(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === "ipv4") return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/**
 * Without a client address (only behind CATCHMENT_TRUST_PROXY=1 with a proxy that sent no
 * X-Forwarded-For) every attempt shares one place: guessing stays throttled, at the cost of
 * letting anyone slow a user's sign-in. The log says so, once.
 */
let warnedNoAddress = false;

export function throttleKeys(username: string, ip: string | null): { user: ThrottleKey; address: ThrottleKey | null } {
  const name = username.slice(0, MAX_NAME_IN_KEY);
  if (!ip && !warnedNoAddress) {
    warnedNoAddress = true;
    log.warn({ event: "auth.no_client_address" }, "sign-in has no client address (CATCHMENT_TRUST_PROXY=1, but the proxy sent no X-Forwarded-For): failed sign-ins are throttled per user name alone");
  }
  const place = ip ? throttlePlace(ip) : null;
  return {
    user: { key: `user:${name}@${place ?? "unknown"}`, scope: "user from address", freeFailures: USER_FREE_FAILURES },
    address: place ? { key: `address:${place}`, scope: "address", freeFailures: ADDRESS_FREE_FAILURES } : null,
  };
}

export function delayAfterFailures(failures: number, freeFailures = USER_FREE_FAILURES): number {
  if (failures < freeFailures) return 0;
  return Math.min(1000 * 2 ** (failures - freeFailures), MAX_DELAY_MS);
}

type Counter = { failures: number; lastFailureAt: Date };

/** How long a counter makes the next attempt wait, in milliseconds. */
function waitAfter(counter: Counter, freeFailures: number, now: Date): number {
  const elapsed = now.getTime() - counter.lastFailureAt.getTime();
  if (elapsed > WINDOW_MS) return 0;
  return Math.max(0, delayAfterFailures(counter.failures, freeFailures) - elapsed);
}

/** The counter once one more attempt is counted: a failure after the window starts it again. */
function countAttempt(counter: Counter, now: Date): Counter {
  const expired = now.getTime() - counter.lastFailureAt.getTime() > WINDOW_MS;
  return { failures: expired ? 1 : counter.failures + 1, lastFailureAt: now };
}

// A burst of attempts queues on the rows' locks and the pool: longer than Prisma's 2 s to start.
const QUEUED_TRANSACTION = { maxWait: 10_000, timeout: 10_000 };

export type Attempt =
  | { allowed: false; waitMs: number }
  /** `throttleStarts`: the keys whose throttle this attempt starts if it fails (one per burst). */
  | { allowed: true; throttleStarts: ThrottleKey[] };

/**
 * Counts a sign-in attempt against every key before the password is checked, holding the
 * keys' rows locked meanwhile, so parallel attempts are counted one after another and cannot
 * all pass a check made before any of them failed. A refused attempt counts nothing.
 */
export async function startAttempt(db: Db, keys: ThrottleKey[], now = new Date()): Promise<Attempt> {
  // Locked in one order by every caller, so two attempts cannot deadlock.
  const sorted = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  const names = sorted.map((key) => key.key);
  return db.$transaction(async (tx) => {
    // Counters past their window count nothing: dropped here, so rows cannot pile up.
    await tx.$executeRaw`
      DELETE FROM login_throttle WHERE last_failure_at < ${new Date(now.getTime() - WINDOW_MS)} AND key <> ALL(${names}::text[])`;
    await tx.$executeRaw`
      INSERT INTO login_throttle (key, failures, last_failure_at)
      SELECT name, 0, ${now} FROM unnest(${names}::text[]) AS name
      ON CONFLICT (key) DO NOTHING`;
    const rows = await tx.$queryRaw<{ key: string; failures: number; last_failure_at: Date }[]>`
      SELECT key, failures, last_failure_at FROM login_throttle
      WHERE key = ANY(${names}::text[]) ORDER BY key FOR UPDATE`;
    const counters = new Map(rows.map((row) => [row.key, { failures: row.failures, lastFailureAt: row.last_failure_at }]));
    const waitMs = Math.max(0, ...sorted.map((key) => waitAfter(counters.get(key.key)!, key.freeFailures, now)));
    if (waitMs > 0) {
      // A refused attempt leaves nothing behind: not even the rows made for it above.
      await tx.$executeRaw`DELETE FROM login_throttle WHERE key = ANY(${names}::text[]) AND failures = 0`;
      return { allowed: false, waitMs };
    }
    const throttleStarts: ThrottleKey[] = [];
    for (const key of sorted) {
      const counted = countAttempt(counters.get(key.key)!, now);
      if (counted.failures === key.freeFailures) throttleStarts.push(key);
      await tx.$executeRaw`
        UPDATE login_throttle SET failures = ${counted.failures}, last_failure_at = ${counted.lastFailureAt}
        WHERE key = ${key.key}`;
    }
    return { allowed: true, throttleStarts };
  }, QUEUED_TRANSACTION);
}

/**
 * After a successful sign-in: the user's count from this address is cleared, and the attempt
 * is taken back from the address's count (other users' failures from there still stand).
 * Counters past their window are dropped too, so guesses from many places do not pile up.
 */
export async function succeeded(db: Db, keys: { user: ThrottleKey; address: ThrottleKey | null }, now = new Date()): Promise<void> {
  await db.$executeRaw`
    DELETE FROM login_throttle WHERE key = ${keys.user.key} OR last_failure_at < ${new Date(now.getTime() - WINDOW_MS)}`;
  if (keys.address) {
    await db.$executeRaw`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = ${keys.address.key}`;
  }
}
