"use server";

import { z } from "zod";
import { recordId } from "@/lib/domain/record-id";
import { roaInput } from "@/lib/domain/roas/prefix-roa-input";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { ROA_UNIQUE_FIELDS, createRoa, deleteRoa, updateRoa } from "@/lib/server/rpki/save-roa";

export const createRoaAction = defineAction({ role: "admin", input: roaInput, uniqueFields: ROA_UNIQUE_FIELDS }, async (input, { actor, ip }) => {
  await createRoa(db, input, actor, ip);
  return { message: "ROA created.", redirectTo: "/rpki" };
});

export const updateRoaAction = defineAction(
  { role: "admin", input: z.intersection(roaInput, z.object({ id: recordId() })), uniqueFields: ROA_UNIQUE_FIELDS },
  async (input, { actor, ip }) => {
    await updateRoa(db, input.id, input, actor, ip);
    return { message: "ROA saved.", redirectTo: "/rpki" };
  },
);

export const deleteRoaAction = defineAction({ role: "admin", input: z.object({ id: recordId() }) }, async ({ id }, { actor, ip }) => {
  const roa = await deleteRoa(db, id, actor, ip);
  return { message: `Deleted the ROA ${roa.prefix}-${roa.maxLength} AS${roa.asn}.`, redirectTo: "/rpki" };
});
