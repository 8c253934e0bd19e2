import "server-only";
import { config, type Config } from "@/lib/config";

export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export function authSecret(): string {
  const secret = config().NEXTAUTH_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error("NEXTAUTH_SECRET must be set to at least 32 random characters (npm start sets one for you).");
  }
  return secret;
}

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  name: string;
  scope: string;
  roleClaim: string;
  adminGroups: string[];
  operatorGroups: string[];
};

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((item) => item.trim()).filter(Boolean);
}

/** Single sign-on is on when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are all set. */
export function oidcConfig(env: Pick<Config, `OIDC_${string}` & keyof Config> = config()): OidcConfig | null {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = env;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return null;
  return {
    issuer: OIDC_ISSUER.replace(/\/$/, ""),
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    name: env.OIDC_NAME || "Single sign-on",
    // Providers such as Dex, Authelia and Okta release the group claim only for a `groups`
    // scope; others reject scopes they do not know, so it is not asked for by default.
    scope: env.OIDC_SCOPES || "openid profile email",
    roleClaim: env.OIDC_ROLE_CLAIM || "groups",
    adminGroups: list(env.OIDC_ADMIN_GROUPS),
    operatorGroups: list(env.OIDC_OPERATOR_GROUPS),
  };
}
