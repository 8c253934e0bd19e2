"use server";

import { z } from "zod";
import { popInput } from "@/lib/domain/pop-input";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { POP_UNIQUE_FIELDS, createPop, updatePop } from "@/lib/server/pops/save-pop";

export const createPopAction = defineAction({ role: "admin", input: popInput, uniqueFields: POP_UNIQUE_FIELDS }, async (input, { actor, ip }) => {
  const pop = await createPop(db, input, actor, ip);
  return { message: `Created ${pop.code}.`, redirectTo: `/pops/${pop.code}` };
});

export const updatePopAction = defineAction(
  { role: "admin", input: popInput.extend({ originalCode: z.string().trim().toUpperCase() }), uniqueFields: POP_UNIQUE_FIELDS },
  async ({ originalCode, ...input }, { actor, ip }) => {
    const pop = await updatePop(db, originalCode, input, actor, ip);
    return { message: `Saved ${pop.code}.`, redirectTo: `/pops/${pop.code}` };
  },
);
