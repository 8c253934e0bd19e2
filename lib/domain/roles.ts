// Roles, weakest first: each role may do all that the ones before it may.
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}

/** What each role may do, in the operator's words (shown on the sign-in and user pages). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "sees the fleet, catchments and the audit log",
  operator: "also drains, withdraws and restores PoPs",
  admin: "also manages PoPs, prefixes, ROAs and API tokens, and may override a failed safety check",
};
