import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";
import { hashPassword, verifyPassword } from "./password";
import { startAttempt, succeeded, throttleKeys } from "./login-throttle";

export type SignedInUser = { id: string; username: string; name: string; role: "viewer" | "operator" | "admin" };

// Verified when the user name is unknown, so that an unknown name takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
function getDummyHash() {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

export const WRONG_CREDENTIALS = "Wrong user name or password.";
export const SIGN_IN_UNAVAILABLE = "Sign-in is unavailable: the console could not check your password (its database may be down). Try again shortly.";

/**
 * Checks a user name and password, slowing down repeated failures per user name and client
 * address, and per address. Throws only AppErrors, whose messages may be shown to the user:
 * anything else (Postgres down) is logged here and shown as a plain sentence.
 */
export async function signInWithPassword(
  db: Db,
  input: { username: string; password: string; ip: string | null },
): Promise<SignedInUser> {
  const username = input.username.trim().toLowerCase();
  try {
    return await checkPassword(db, username, input.password, input.ip);
  } catch (error) {
    if (error instanceof AppError) throw error;
    log.error({ event: "auth.sign_in_error", err: error, user: username, ip: input.ip }, `Sign-in of ${username} could not be checked`);
    throw new AppError("unavailable", SIGN_IN_UNAVAILABLE);
  }
}

async function checkPassword(db: Db, username: string, password: string, ip: string | null): Promise<SignedInUser> {
  const keys = throttleKeys(username, ip);
  const attempt = await startAttempt(db, keys.address ? [keys.user, keys.address] : [keys.user]);
  if (!attempt.allowed) {
    throw new AppError("rate_limited", `Too many failed sign-ins. Try again in ${Math.ceil(attempt.waitMs / 1000)} s.`);
  }
  const user = await db.user.findUnique({ where: { username }, omit: { passwordHash: false } });
  const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), password);
  if (user?.passwordHash && ok && !user.disabled) {
    await succeeded(db, keys);
    return { id: user.id, username: user.username, name: user.name, role: user.role };
  }
  const reason = user?.disabled ? "disabled" : "wrong credentials";
  const from = ip ?? "an unknown address";
  log.info({ event: "auth.sign_in_failed", user: username, ip, reason }, `Sign-in failed for ${username} from ${from}: ${reason}`);
  // One audit record per burst, when it starts being slowed down: a record per attempt would let
  // anyone fill the append-only audit log.
  for (const { scope, freeFailures: failures } of attempt.throttleStarts) {
    await recordAudit(db, { id: user?.id ?? null, name: username }, { action: "auth.sign_in_throttled", detail: { method: "password", scope, failures }, ip });
    const who = scope === "address" ? `Sign-ins from ${from}` : `Sign-ins of ${username} from ${from}`;
    log.info({ event: "auth.sign_in_throttled", user: username, ip, scope, failures }, `${who} are slowed down after ${failures} failures within the hour`);
  }
  throw new AppError("unauthenticated", WRONG_CREDENTIALS);
}
