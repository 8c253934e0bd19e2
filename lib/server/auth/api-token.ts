// No "server-only": the token CLI (scripts/token.ts) creates and revokes tokens too.
import { createHash, randomBytes } from "node:crypto";
import type { Role } from "@/lib/domain/roles";
import type { Db } from "../db/create-client";

export const API_SCOPES = ["read", "ingest", "operate"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const PREFIX = "ctm_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token: the caller shows `token` once; only its hash is stored. */
export async function createApiToken(db: Db, input: { userId: string; name: string; scopes: ApiScope[]; expiresAt?: Date }) {
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
