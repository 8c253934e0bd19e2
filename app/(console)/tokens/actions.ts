"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { API_SCOPES, issueApiToken, revokeApiToken } from "@/lib/server/auth/api-token";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";

const MAX_EXPIRY_DAYS = 3650;

const tokenInput = z.object({
  username: z.string().trim().min(1, "Choose the user the token acts as."),
  name: z.string().trim().min(1, "Name it after what will use it, e.g. atlas-feed.").max(100, "At most 100 characters."),
  // Checkboxes: absent when none is ticked, a string for one, a list for several.
  scopes: z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.enum(API_SCOPES)).min(1, "Give it at least one scope.")),
  // Empty: it never expires.
  expiresDays: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.coerce.number("A number of days.").int("A whole number of days.").min(1, "At least 1 day.").max(MAX_EXPIRY_DAYS, `At most ${MAX_EXPIRY_DAYS} days.`).optional(),
  ),
});

/** The token comes back once, for the form to show; only its hash is stored. */
export const createTokenAction = defineAction({ role: "admin", input: tokenInput }, async ({ username, name, scopes, expiresDays }, { actor, ip }) => {
  const expiresAt = expiresDays ? new Date(Date.now() + expiresDays * 86_400_000) : undefined;
  const { id, token } = await issueApiToken(db, actor, { username, name, scopes, expiresAt }, ip);
  revalidatePath("/tokens");
  return { message: `Created a token for ${username}. Copy it now: it is not shown again.`, data: { id, token } };
});

export const revokeTokenAction = defineAction({ role: "admin", input: z.object({ id: z.string().min(1) }) }, async ({ id }, { actor, ip }) => {
  await revokeApiToken(db, actor, id, ip);
  revalidatePath("/tokens");
  return { message: "Revoked." };
});
