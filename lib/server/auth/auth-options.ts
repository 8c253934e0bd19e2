import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { TokenSet } from "openid-client";
import { signInTarget } from "@/lib/domain/sign-in-target";
import { recordAudit } from "../audit";
import { db } from "../db/client";
import { clientIpFrom } from "../client-ip";
import { AppError } from "../errors";
import { log } from "../log";
import { SESSION_MAX_AGE_S, authSecret, oidcConfig } from "./config";
import { upsertOidcUser, type OidcProfile } from "./oidc";
import { SIGN_IN_UNAVAILABLE, signInWithPassword } from "./sign-in";

function clientIp(headers: Record<string, string | string[] | undefined> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  return clientIpFrom(Array.isArray(forwarded) ? forwarded.join(",") : forwarded);
}

function oidcProviders(): AuthOptions["providers"] {
  const config = oidcConfig();
  if (!config) return [];
  return [
    {
      id: "oidc",
      name: config.name,
      type: "oauth",
      wellKnown: `${config.issuer}/.well-known/openid-configuration`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authorization: { params: { scope: config.scope } },
      idToken: true,
      checks: ["pkce", "state"],
      // In the code flow an ID token may carry little beyond `sub`: many providers give the
      // name, e-mail and groups only at the userinfo endpoint, so the profile is both.
      userinfo: {
        async request({ tokens, client }) {
          // Typed as plain parameters, these are openid-client's TokenSet with a verified ID token;
          // given it, userinfo() also checks that both name the same subject.
          const tokenSet = tokens as TokenSet;
          const claims = tokenSet.claims();
          if (!client.issuer.metadata.userinfo_endpoint) return claims;
          return { ...claims, ...(await client.userinfo(tokenSet)) };
        },
      },
      async profile(profile: OidcProfile) {
        const user = await upsertOidcUser(db, profile, config);
        return { id: user.id, name: user.name, email: user.email };
      },
    },
  ];
}

export function authOptions(): AuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "password",
        credentials: { username: { type: "text" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const ip = clientIp(request?.headers);
          try {
            const user = await signInWithPassword(db, {
              username: String(credentials?.username ?? ""),
              password: String(credentials?.password ?? ""),
              ip,
            });
            await recordAudit(db, { id: user.id, name: user.username }, { action: "auth.sign_in", detail: { method: "password" }, ip });
            return { id: user.id, name: user.name };
          } catch (error) {
            // next-auth hands any message thrown here to the sign-in form: only our own go there.
            if (error instanceof AppError) throw new Error(error.message);
            log.error({ event: "auth.sign_in_error", err: error, ip }, "Sign-in failed on the server");
            throw new Error(SIGN_IN_UNAVAILABLE);
          }
        },
      }),
      ...oidcProviders(),
    ],
    callbacks: {
      // The callbackUrl a sign-in or sign-out came with is written by whoever made the link.
      redirect({ url, baseUrl }) {
        return new URL(signInTarget(url, baseUrl), baseUrl).href;
      },
      // A disabled user gets no session, whichever way they sign in.
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const local = await db.user.findUnique({ where: { id: user.id } });
        if (local && !local.disabled) return true;
        await recordAudit(db, { id: local?.id ?? null, name: local?.username ?? String(user.id) }, { action: "auth.sign_in_failed", detail: { method: "oidc", reason: "disabled" } });
        return "/signin?error=AccessDenied";
      },
      // Each sign-in gets a session row; the cookie only names it, so it can be revoked.
      async jwt({ token, user, account }) {
        if (user) {
          const session = await db.session.create({
            data: { userId: user.id, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_S * 1000) },
          });
          token.sid = session.id;
          token.sub = user.id;
          if (account?.provider === "oidc") {
            const signedIn = await db.user.findUniqueOrThrow({ where: { id: user.id } });
            await recordAudit(db, { id: signedIn.id, name: signedIn.username }, { action: "auth.sign_in", detail: { method: "oidc" } });
          }
        }
        return token;
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid !== "string") return;
        // The row may be gone already (user deleted): signing out must still succeed.
        await db.session.updateMany({ where: { id: token.sid, revokedAt: null }, data: { revokedAt: new Date() } });
        const session = await db.session.findUnique({ where: { id: token.sid }, include: { user: true } });
        if (session) await recordAudit(db, { id: session.userId, name: session.user.username }, { action: "auth.sign_out" });
      },
    },
  };
}
