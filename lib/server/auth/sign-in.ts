import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { hashPassword, verifyPassword } from "./password";
import { clearFailures, recordFailure, throttleWait } from "./login-throttle";

export type SignedInUser = { id: string; username: string; name: string; role: "viewer" | "operator" | "admin" };

// Verified when the user name is unknown, so that an unknown name takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;
function getDummyHash() {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

export const WRONG_CREDENTIALS = "Wrong user name or password.";

/** Checks a user name and password, slowing down repeated failures per name and per address. */
export async function signInWithPassword(
  db: Db,
  input: { username: string; password: string; ip: string | null },
): Promise<SignedInUser> {
  const username = input.username.trim().toLowerCase();
  const keys = [`user:${username}`, ...(input.ip ? [`ip:${input.ip}`] : [])];
  const wait = await throttleWait(db, keys);
  if (wait > 0) {
    throw new AppError("rate_limited", `Too many failed sign-ins. Try again in ${Math.ceil(wait / 1000)} s.`);
  }
  const user = await db.user.findUnique({ where: { username }, omit: { passwordHash: false } });
  const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  if (!user || !user.passwordHash || !ok || user.disabled) {
    await recordFailure(db, keys);
    await recordAudit(db, { id: user?.id ?? null, name: username }, {
      action: "auth.sign_in_failed",
      detail: { method: "password", reason: user?.disabled ? "disabled" : "wrong credentials" },
      ip: input.ip,
    });
    throw new AppError("unauthenticated", WRONG_CREDENTIALS);
  }
  await clearFailures(db, keys);
  return { id: user.id, username: user.username, name: user.name, role: user.role };
}
