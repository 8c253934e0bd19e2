import "server-only";
import type { Role } from "@/lib/domain/roles";
import type { Db } from "../db/create-client";
import type { OidcConfig } from "./config";

export type OidcProfile = { sub: string; name?: string; preferred_username?: string; email?: string } & Record<string, unknown>;

/** The role a single sign-on user gets from their group claim; viewer unless a group says more. */
export function roleFromClaims(profile: Record<string, unknown>, config: OidcConfig): Role {
  const claim = profile[config.roleClaim];
  const groups = Array.isArray(claim) ? claim.map(String) : typeof claim === "string" ? [claim] : [];
  if (groups.some((group) => config.adminGroups.includes(group))) return "admin";
  if (groups.some((group) => config.operatorGroups.includes(group))) return "operator";
  return "viewer";
}

/**
 * The local user for an SSO identity, created on first sign-in. The identity provider is the
 * source of truth for the role, so it is refreshed at every sign-in.
 */
export async function upsertOidcUser(db: Db, profile: OidcProfile, config: OidcConfig) {
  const role = roleFromClaims(profile, config);
  const name = profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub;
  const username = `sso:${(profile.preferred_username ?? profile.email ?? profile.sub).toLowerCase()}`;
  return db.user.upsert({
    where: { oidcSubject: profile.sub },
    update: { role, name },
    create: { oidcSubject: profile.sub, username, name, email: profile.email ?? null, role },
  });
}
