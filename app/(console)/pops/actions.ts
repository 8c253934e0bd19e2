"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { popInput } from "@/lib/domain/pop-input";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { assignPrefix } from "@/lib/server/pops/assign-prefix";
import { decommissionPop } from "@/lib/server/pops/decommission-pop";
import { deletePop } from "@/lib/server/pops/delete-pop";
import { POP_UNIQUE_FIELDS, createPop, updatePop } from "@/lib/server/pops/save-pop";
import { unassignPrefix } from "@/lib/server/pops/unassign-prefix";

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

const assignment = z.object({ code: z.string().trim().toUpperCase(), cidr: z.string().trim().min(1, "Pick a prefix.") });

export const assignPrefixAction = defineAction({ role: "admin", input: assignment }, async ({ code, cidr }, { actor, ip }) => {
  const { pop, prefix, created } = await assignPrefix(db, code, cidr, actor, ip);
  revalidatePath(`/pops/${pop.code}`);
  return { message: created ? `Assigned ${prefix.cidr}, withdrawn: an operator announces it with Restore….` : `${pop.code} already has ${prefix.cidr}.` };
});

export const unassignPrefixAction = defineAction({ role: "admin", input: assignment }, async ({ code, cidr }, { actor, ip }) => {
  const { pop, prefix } = await unassignPrefix(db, code, cidr, actor, ip);
  revalidatePath(`/pops/${pop.code}`);
  return { message: `Removed ${prefix.cidr} from ${pop.code}.` };
});

// Sent by DeleteForm, which names its target `id`: here the PoP's code.
const popByCode = z.object({ id: z.string().trim().toUpperCase() });

export const deletePopAction = defineAction({ role: "admin", input: popByCode }, async ({ id }, { actor, ip }) => {
  const pop = await deletePop(db, id, actor, ip);
  return { message: `Deleted ${pop.code}.`, redirectTo: "/pops" };
});

export const decommissionPopAction = defineAction({ role: "admin", input: popByCode }, async ({ id }, { actor, ip }) => {
  const pop = await decommissionPop(db, id, actor, ip);
  return { message: `Decommissioned ${pop.code}.`, redirectTo: `/pops/${pop.code}` };
});
