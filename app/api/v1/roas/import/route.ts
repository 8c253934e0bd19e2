import { z } from "zod";
import { DEFAULT_IMPORT_SOURCE, VRP_FORMATS, normaliseSource } from "@/lib/domain/roas/vrp-parse";
import { db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { log } from "@/lib/server/log";
import { readBodyText } from "@/lib/server/request-body";
import { defineRoute } from "@/lib/server/route";
import { applyImport, previewImport } from "@/lib/server/rpki/import-roas";

/** A full validator export is about 500,000 VRPs: 20 MB as CSV, 50 MB as JSON. */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

const importQuery = z
  .object({
    mode: z.enum(["dry-run", "apply"], { error: 'mode is "dry-run" or "apply".' }),
    format: z
      .enum(["auto", ...VRP_FORMATS], { error: "Pick a format." })
      .optional()
      .transform((value) => (value === "auto" ? undefined : value)),
    source: z
      .string()
      .optional()
      .transform((value, context) => {
        const parsed = normaliseSource(value?.trim() || DEFAULT_IMPORT_SOURCE);
        if (!parsed.ok || parsed.source === "manual" || parsed.source === "slurm") {
          context.addIssue({ code: "custom", message: 'A source is a short name such as "ripe" or "import" (not manual or slurm).' });
          return z.NEVER;
        }
        return parsed.source;
      }),
    /** The digest of the stored ROAs the dry run saw: the apply is refused if they changed since. */
    basisDigest: z
      .string()
      .regex(/^[0-9a-f]{32}$/, "Run the dry run first.")
      .optional(),
  })
  .refine((query) => query.mode === "dry-run" || query.basisDigest !== undefined, { path: ["basisDigest"], message: "Run the dry run first." });

async function readFile(request: Request): Promise<string> {
  try {
    const text = await readBodyText(request, MAX_IMPORT_BYTES);
    if (text.trim() === "") throw new AppError("invalid_input", "Choose a file or paste VRPs.", { file: ["Choose a file or paste VRPs."] });
    return text;
  } catch (error) {
    // readBodyText speaks of batches; an import file cannot be split (it replaces whole trust anchors).
    if (error instanceof AppError && error.code === "too_large") {
      throw new AppError("too_large", "The file is larger than 64 MiB, the import limit. Nothing was changed.", { file: ["The file is larger than 64 MiB."] });
    }
    throw error;
  }
}

const n = (count: number) => count.toLocaleString("en");
const aspaText = (aspas: number | null) => (aspas === null ? "" : `; ${n(aspas)} ASPA object${aspas === 1 ? "" : "s"} now stored for these sources`);

// A browser session sends the file as application/octet-stream, a body type no other site's form
// can send (defineRoute's cross-site check refuses any type a route does not declare).
const config = { role: "admin", query: importQuery, contentTypes: ["application/octet-stream"] } as const;

/**
 * POST /api/v1/roas/import?mode=dry-run|apply[&format=][&source=][&basisDigest=]: the body is
 * the VRP file itself (Routinator CSV or JSON, a JSON list, SLURM), read as it streams in and
 * refused past 64 MiB. A route handler, not a server action: a server action's body passes
 * proxy.ts and is cut at Next's 10 MB proxy limit.
 */
export const POST = defineRoute(config, async ({ request, query, actor, ip }) => {
  const started = performance.now();
  const options = { text: await readFile(request), format: query.format, defaultSource: query.source };
  const bytes = Buffer.byteLength(options.text);
  try {
    if (query.mode === "dry-run") {
      const preview = await previewImport(db, options);
      log.info(
        { event: "rpki.import_dry_run", user: actor.name, format: preview.format, sources: preview.sources, bytes, ...preview.counts, validityChanges: preview.validityChanges.length, durationMs: Math.round(performance.now() - started) },
        `${actor.name} ran an import dry run: ${n(preview.counts.added)} added, ${n(preview.counts.removed)} removed, ${n(preview.counts.unchanged)} unchanged (nothing written)`,
      );
      return preview;
    }
    const result = await applyImport(db, options, query.basisDigest!, actor, ip);
    log.info(
      { event: "rpki.import_applied", user: actor.name, bytes, ...result, durationMs: Math.round(performance.now() - started) },
      `${actor.name} imported ROAs: ${n(result.added)} added, ${n(result.removed)} removed, ${n(result.unchanged)} unchanged${aspaText(result.aspas)}; ${result.validityChanges} of the fleet's prefixes changed validity`,
    );
    return {
      ...result,
      message: `Imported: ${n(result.added)} added, ${n(result.removed)} removed, ${n(result.unchanged)} unchanged${aspaText(result.aspas)}; ${result.validityChanges} of the fleet's prefixes changed validity.`,
    };
  } catch (error) {
    if (error instanceof AppError) {
      log.info(
        { event: "rpki.import_refused", user: actor.name, mode: query.mode, bytes, reason: error.code, durationMs: Math.round(performance.now() - started) },
        `${actor.name}'s import ${query.mode === "dry-run" ? "dry run" : "apply"} was refused: ${error.message}`,
      );
    }
    throw error;
  }
});
