import "server-only";
import { cookies } from "next/headers";
import { decode } from "next-auth/jwt";
import { cache } from "react";
import type { Role } from "@/lib/domain/roles";
import { db } from "../db/client";
import type { Db } from "../db/create-client";
import { authSecret } from "./config";

export type CurrentUser = { id: string; username: string; name: string; role: Role; sessionId: string };

export const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** The user behind a session cookie: the JWT must be valid and its session row live. */
export async function userFromSessionToken(database: Db, token: string | undefined): Promise<CurrentUser | null> {
  if (!token) return null;
  const claims = await decode({ token, secret: authSecret() }).catch(() => null);
  const sessionId = typeof claims?.sid === "string" ? claims.sid : null;
  if (!sessionId) return null;
  const session = await database.session.findUnique({ where: { id: sessionId }, include: { user: true } });
  if (!session || session.revokedAt || session.expiresAt <= new Date() || session.user.disabled) return null;
  const { user } = session;
  return { id: user.id, username: user.username, name: user.name, role: user.role, sessionId };
}

/** The signed-in user of this request, or null. Read once per request. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const jar = await cookies();
  const token = SESSION_COOKIES.map((name) => jar.get(name)?.value).find(Boolean);
  return userFromSessionToken(db, token);
});
