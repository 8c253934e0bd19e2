"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { roaInput } from "@/lib/domain/roas/prefix-roa-input";
import { DEFAULT_IMPORT_SOURCE, VRP_FORMATS, normaliseSource } from "@/lib/domain/roas/vrp-parse";
import { defineAction } from "@/lib/server/action";
import { db } from "@/lib/server/db/client";
import { applyImport, previewImport, type ImportPreview } from "@/lib/server/rpki/import-roas";
import { ROA_UNIQUE_FIELDS, createRoa, deleteRoa, updateRoa } from "@/lib/server/rpki/save-roa";

const importInput = z.object({
  text: z.string({ error: "Choose a file or paste VRPs." }).min(1, "Choose a file or paste VRPs."),
  format: z
    .enum(["auto", ...VRP_FORMATS], { error: "Pick a format." })
    .optional()
    .transform((value) => (value === "auto" || value === undefined ? undefined : value)),
  source: z
    .string()
    .optional()
    .transform((value, context) => {
      const text = value?.trim() || DEFAULT_IMPORT_SOURCE;
      const parsed = normaliseSource(text);
      if (!parsed.ok || parsed.source === "manual" || parsed.source === "slurm") {
        context.addIssue({ code: "custom", message: 'A source is a short name such as "ripe" or "import" (not manual or slurm).' });
        return z.NEVER;
      }
      return parsed.source;
    }),
});

const options = (input: z.output<typeof importInput>) => ({ text: input.text, format: input.format, defaultSource: input.source });

export const previewImportAction = defineAction<typeof importInput, ImportPreview>({ role: "admin", input: importInput }, async (input) => {
  const preview = await previewImport(db, options(input));
  return { message: "Dry run done: nothing has been changed yet.", data: preview };
});

export const applyImportAction = defineAction({ role: "admin", input: importInput.extend({ basisDigest: z.string().regex(/^[0-9a-f]{32}$/, "Run the dry run first.") }) }, async (input, { actor, ip }) => {
  const result = await applyImport(db, options(input), input.basisDigest, actor, ip);
  revalidatePath("/", "layout");
  return {
    message: `Imported: ${result.added} added, ${result.removed} removed, ${result.unchanged} unchanged; ${result.validityChanges} of the fleet's prefixes changed validity.`,
  };
});

export const createRoaAction = defineAction({ role: "admin", input: roaInput, uniqueFields: ROA_UNIQUE_FIELDS }, async (input, { actor, ip }) => {
  await createRoa(db, input, actor, ip);
  return { message: "ROA created.", redirectTo: "/rpki" };
});

export const updateRoaAction = defineAction(
  { role: "admin", input: z.intersection(roaInput, z.object({ id: z.coerce.number().int().positive() })), uniqueFields: ROA_UNIQUE_FIELDS },
  async (input, { actor, ip }) => {
    await updateRoa(db, input.id, input, actor, ip);
    return { message: "ROA saved.", redirectTo: "/rpki" };
  },
);

export const deleteRoaAction = defineAction({ role: "admin", input: z.object({ id: z.coerce.number().int().positive() }) }, async ({ id }, { actor, ip }) => {
  const roa = await deleteRoa(db, id, actor, ip);
  return { message: `Deleted the ROA ${roa.prefix}-${roa.maxLength} AS${roa.asn}.`, redirectTo: "/rpki" };
});
