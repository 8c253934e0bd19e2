// Local users (signed in with a password): creating them, their role, their password,
// disabling them. `npm run user` (scripts/user.ts) is the way in; SSO users are created at
// their first sign-in (oidc.ts). Each change and its audit record land together.
// No "server-only": the CLI runs this.
import type { Role } from "@/lib/domain/roles";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { hashPassword } from "./password";

/** NIST SP 800-63B's floor for a password a person chooses. */
export const MIN_PASSWORD_LENGTH = 12;

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError("invalid_input", `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
}

export type UserListing = { username: string; name: string; role: Role; sso: boolean; disabled: boolean; lastLoginAt: Date | null };

export async function listUsers(db: Db): Promise<UserListing[]> {
  const users = await db.user.findMany({ orderBy: { username: "asc" }, select: { username: true, name: true, role: true, oidcSubject: true, disabled: true, lastLoginAt: true } });
  return users.map(({ oidcSubject, ...user }) => ({ ...user, sso: oidcSubject !== null }));
}

export async function createLocalUser(db: Db, actor: Actor, input: { username: string; name: string; role: Role; password: string }): Promise<void> {
  if (!USERNAME.test(input.username)) {
    throw new AppError("invalid_input", "A user name is 2 to 64 characters: lower-case letters, digits, dots, dashes and underscores, starting with a letter or digit.");
  }
  if (!input.name.trim()) throw new AppError("invalid_input", "Give the user's name.");
  checkPassword(input.password);
  if (await db.user.findUnique({ where: { username: input.username } })) throw new AppError("conflict", `There is already a user ${input.username}.`);
  const passwordHash = await hashPassword(input.password);
  await db.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { username: input.username, name: input.name.trim(), role: input.role, passwordHash } });
    await recordAudit(tx, actor, { action: "user.create", target: { type: "user", id: user.id }, detail: { username: user.username, role: user.role } });
  });
}

async function existingUser(db: Db, username: string) {
  const user = await db.user.findUnique({ where: { username } });
  if (!user) throw new AppError("not_found", `There is no user ${username}.`);
  return user;
}

/** A local user: an SSO user's role comes from its provider, and it signs in there alone. */
async function localUser(db: Db, username: string, change: string) {
  const user = await existingUser(db, username);
  if (user.oidcSubject !== null) throw new AppError("refused", `${username} signs in with SSO: ${change} comes from the identity provider.`);
  return user;
}

export async function setUserRole(db: Db, actor: Actor, username: string, role: Role): Promise<void> {
  const user = await localUser(db, username, "its role");
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await recordAudit(tx, actor, { action: "user.role", target: { type: "user", id: user.id }, detail: { username, from: user.role, to: role } });
  });
}

/** A new password; the user's signed-in browsers are signed out. */
export async function setUserPassword(db: Db, actor: Actor, username: string, password: string): Promise<void> {
  checkPassword(password);
  const user = await localUser(db, username, "its password");
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await tx.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, { action: "user.password", target: { type: "user", id: user.id }, detail: { username } });
  });
}

/** Disabled, a user cannot sign in, and their sessions and API tokens stop working at once. */
export async function setUserDisabled(db: Db, actor: Actor, username: string, disabled: boolean): Promise<void> {
  const user = await existingUser(db, username);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { disabled } });
    if (disabled) await tx.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, { action: disabled ? "user.disable" : "user.enable", target: { type: "user", id: user.id }, detail: { username } });
  });
}
