// No "server-only": the token CLI (scripts/token.ts) creates and revokes tokens too.
import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/lib/domain/roles";
import { recordAudit, type Actor } from "../audit";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";

export const API_SCOPES = ["read", "ingest", "operate"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const PREFIX = "ctm_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token: the caller shows `token` once; only its hash is stored. */
export async function createApiToken(db: Db | Tx, input: { userId: string; name: string; scopes: ApiScope[]; expiresAt?: Date }) {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const row = await db.apiToken.create({
    data: { userId: input.userId, name: input.name, scopes: input.scopes, tokenHash: hashToken(token), tokenStart: token.slice(0, 10), expiresAt: input.expiresAt ?? null },
  });
  return { id: row.id, token };
}

export type TokenUser = { id: string; username: string; name: string; role: Role; scopes: ApiScope[]; tokenId: string };

export async function userFromApiToken(db: Db, token: string): Promise<TokenUser | null> {
  if (!token.startsWith(PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabled) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return {
    id: row.user.id,
    username: row.user.username,
    name: row.user.name,
    role: row.user.role,
    scopes: row.scopes.filter((scope): scope is ApiScope => (API_SCOPES as readonly string[]).includes(scope)),
    tokenId: row.id,
  };
}

// Issuing, listing and revoking tokens: one way for the console's tokens page
// (app/(console)/tokens) and the CLI (scripts/token.ts). Each change is in the audit log.

export type ApiTokenState = "active" | "expired" | "revoked";

export type ApiTokenListing = {
  id: string;
  name: string;
  /** The token's first characters, to recognise it; never the token. */
  tokenStart: string;
  username: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  state: ApiTokenState;
};

/** Every token (or one user's), newest first. */
export async function listApiTokens(db: Db, filter: { username?: string } = {}): Promise<ApiTokenListing[]> {
  const rows = await db.apiToken.findMany({
    where: filter.username ? { user: { username: filter.username } } : {},
    include: { user: { select: { username: true } } },
    orderBy: { createdAt: "desc" },
  });
  const now = new Date();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    tokenStart: row.tokenStart,
    username: row.user.username,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    state: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  }));
}

/** A token for an active user, with its scopes; `token` is for the caller to show once. */
export async function issueApiToken(
  db: Db,
  actor: Actor,
  input: { username: string; name: string; scopes: ApiScope[]; expiresAt?: Date },
  ip: string | null = null,
): Promise<{ id: string; token: string }> {
  const user = await db.user.findUnique({ where: { username: input.username } });
  if (!user || user.disabled) throw new AppError("not_found", `There is no active user ${input.username}.`);
  // The token and its audit record land together or not at all.
  return db.$transaction(async (tx) => {
    const issued = await createApiToken(tx, { userId: user.id, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt });
    await recordAudit(tx, actor, {
      action: "api_token.create",
      target: { type: "api_token", id: issued.id },
      detail: { user: user.username, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt?.toISOString() ?? null },
      ip,
    });
    return issued;
  });
}

/** Revokes an active token at once: the next request with it is refused. */
export async function revokeApiToken(db: Db, actor: Actor, id: string, ip: string | null = null): Promise<void> {
  await db.$transaction(async (tx) => {
    const revoked = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count === 0) throw new AppError("not_found", `There is no active token ${id}.`);
    await recordAudit(tx, actor, { action: "api_token.revoke", target: { type: "api_token", id }, ip });
  });
}

/** The users a token can be issued for: every active one. */
export async function tokenHolders(db: Db): Promise<{ username: string; name: string; role: Role }[]> {
  return db.user.findMany({ where: { disabled: false }, select: { username: true, name: true, role: true }, orderBy: { username: "asc" } });
}
