import "server-only";
import { forbidden, redirect } from "next/navigation";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import { getCurrentUser, type CurrentUser } from "./session";

/** For pages: the signed-in user with at least `role`, or a redirect to sign-in / a 403 page. */
export async function requireUser(role: Role = "viewer"): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  if (!roleAtLeast(user.role, role)) forbidden();
  return user;
}
