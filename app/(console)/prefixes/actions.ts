"use server";

import { z } from "zod";
import { recordId } from "@/lib/domain/record-id";
import { prefixInput } from "@/lib/domain/roas/prefix-roa-input";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { PREFIX_UNIQUE_FIELDS, createPrefix, deletePrefix, updatePrefix } from "@/lib/server/prefixes/save-prefix";

export const createPrefixAction = defineAction({ role: "admin", input: prefixInput, uniqueFields: PREFIX_UNIQUE_FIELDS }, async (input, { actor, ip }) => {
  const prefix = await createPrefix(db, input, actor, ip);
  return { message: `Created ${prefix.cidr}.`, redirectTo: `/prefixes/${prefix.id}` };
});

export const updatePrefixAction = defineAction(
  { role: "admin", input: prefixInput.extend({ id: recordId() }), uniqueFields: PREFIX_UNIQUE_FIELDS },
  async ({ id, ...input }, { actor, ip }) => {
    const prefix = await updatePrefix(db, id, input, actor, ip);
    return { message: `Saved ${prefix.cidr}.`, redirectTo: `/prefixes/${prefix.id}` };
  },
);

export const deletePrefixAction = defineAction({ role: "admin", input: z.object({ id: recordId() }) }, async ({ id }, { actor, ip }) => {
  await deletePrefix(db, id, actor, ip);
  return { message: "Deleted.", redirectTo: "/prefixes" };
});
