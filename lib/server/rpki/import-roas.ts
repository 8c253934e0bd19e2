import "server-only";
import { applyPlanToSet, effectiveVrps, expiredInFile, planImport, roaSetDigest, validityChanges, type ImportPlan, type ValidityChange } from "@/lib/domain/roas/roa-import";
import { VrpIndex, coveringPrefixTexts } from "@/lib/domain/roas/vrp-index";
import { describeIssue, parseVrpFile, type VrpFormat } from "@/lib/domain/roas/vrp-parse";
import { recordAudit, type Actor } from "../audit";
import { chunks } from "../db/bulk";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";
import { listFleetRoutes, loadFilters, loadStoredAspas, loadStoredRoas, lockRoaSet, routeCidrs } from "./rpki-store";

export type ImportOptions = { text: string; format?: VrpFormat; defaultSource: string };

/** What the browser is shown: counts in full, lists cut to a readable length. */
export type ImportPreview = {
  format: VrpFormat;
  sources: string[];
  counts: { added: number; removed: number; unchanged: number; duplicates: number; filtersBefore: number; filtersAfter: number; aspasBefore: number; aspasAfter: number };
  added: { prefix: string; maxLength: number; asn: number; source: string }[];
  removed: { prefix: string; maxLength: number; asn: number; source: string }[];
  validityChanges: ValidityChange[];
  /** Parts of the file not used (BGPsec, SLURM's ASPA members) and malformed ASPA objects skipped, counted. */
  warnings: string[];
  /** The file's VRPs that expired before now (its `expires`): stored as given, they do not validate. Null when none did. */
  expired: { count: number; total: number; latest: string } | null;
  /** The stored set this preview was computed from: the apply must find it unchanged. */
  basisDigest: string;
};

const LISTED = 200;

type Computed = { plan: ImportPlan; changes: ValidityChange[]; digest: string; expired: ImportPreview["expired"] };

function parseOrRefuse(options: ImportOptions) {
  const parsed = parseVrpFile(options.text, { format: options.format, defaultSource: options.defaultSource, lines: false });
  if (parsed.issues.length > 0) {
    const shown = parsed.issues.slice(0, 20).map(describeIssue);
    const more = parsed.issues.length > shown.length ? ` (and ${parsed.issues.length - shown.length} more)` : "";
    throw new AppError("invalid_input", `The file was not imported: ${parsed.issues.length} bad record${parsed.issues.length === 1 ? "" : "s"}${more}. Nothing was changed.`, {
      file: shown,
    });
  }
  return parsed;
}

async function compute(client: Db | Tx, options: ImportOptions): Promise<Computed> {
  const parsed = parseOrRefuse(options);
  // One after another: inside the apply's transaction they share one connection.
  const stored = await loadStoredRoas(client);
  const filters = await loadFilters(client);
  const aspas = await loadStoredAspas(client);
  const routes = await listFleetRoutes(client);
  const plan = planImport(stored, filters, aspas, parsed, options.defaultSource);
  const now = new Date();
  // Only ROAs that can cover a fleet route matter to its validity: index just those.
  const relevant = new Set(routeCidrs(routes).flatMap(coveringPrefixTexts));
  const before = new VrpIndex(effectiveVrps(stored, filters, now, relevant).vrps);
  const after = new VrpIndex(effectiveVrps(applyPlanToSet(stored, plan), plan.filters?.after ?? filters, now, relevant).vrps);
  // Imported as they are, said out loud: an old export's ROAs are stored but validate nothing.
  const expired = expiredInFile(parsed, now);
  return {
    plan,
    changes: validityChanges(routes, before, after),
    digest: roaSetDigest(stored, filters, aspas),
    expired: expired && { count: expired.count, total: parsed.vrps.length, latest: expired.latest.toISOString() },
  };
}

const brief = (vrp: { prefix: string; maxLength: number; asn: number; source: string }) => ({ prefix: vrp.prefix, maxLength: vrp.maxLength, asn: vrp.asn, source: vrp.source });

/** The dry run: parse, diff against the stored set, and say which of the fleet's routes change validity. Writes nothing. */
export async function previewImport(client: Db, options: ImportOptions): Promise<ImportPreview> {
  const { plan, changes, digest, expired } = await compute(client, options);
  return {
    format: plan.format,
    sources: plan.sources,
    counts: {
      added: plan.added.length,
      removed: plan.removed.length,
      unchanged: plan.unchanged,
      duplicates: plan.duplicates,
      filtersBefore: plan.filters?.before.length ?? 0,
      filtersAfter: plan.filters?.after.length ?? 0,
      aspasBefore: plan.aspas?.removed.length ?? 0,
      aspasAfter: plan.aspas?.added.length ?? 0,
    },
    added: plan.added.slice(0, LISTED).map(brief),
    removed: plan.removed.slice(0, LISTED).map(brief),
    validityChanges: changes,
    warnings: plan.warnings,
    expired,
    basisDigest: digest,
  };
}

/**
 * Applies an import in one transaction, under the ROA-set lock, refusing it when the stored
 * set is no longer the one the dry run was computed from (someone changed ROAs in between).
 */
export async function applyImport(db: Db, options: ImportOptions, basisDigest: string, actor: Actor, ip: string | null) {
  return db.$transaction(
    async (tx) => {
      await lockRoaSet(tx);
      const { plan, changes, digest } = await compute(tx, options);
      if (digest !== basisDigest) {
        throw new AppError("conflict", "The ROAs changed since this dry run (another import or edit). Nothing was applied: run the dry run again and review it.");
      }
      for (const chunk of chunks(plan.removed.map((roa) => roa.id))) {
        await tx.$executeRaw`DELETE FROM roa WHERE id = ANY(${chunk}::int4[])`;
      }
      for (const chunk of chunks(plan.added)) {
        await tx.$executeRaw`
          INSERT INTO roa (prefix, family, length, max_length, asn, source, expires_at)
          SELECT * FROM unnest(
            ${chunk.map((vrp) => vrp.prefix)}::text[],
            ${chunk.map((vrp) => (vrp.prefix.includes(":") ? 6 : 4))}::int4[],
            ${chunk.map((vrp) => Number(vrp.prefix.slice(vrp.prefix.indexOf("/") + 1)))}::int4[],
            ${chunk.map((vrp) => vrp.maxLength)}::int4[],
            ${chunk.map((vrp) => String(vrp.asn))}::int8[],
            ${chunk.map((vrp) => vrp.source)}::text[],
            ${chunk.map((vrp) => vrp.expiresAt?.toISOString() ?? null)}::timestamp[])`;
      }
      for (const chunk of chunks(plan.expiryChanged)) {
        await tx.$executeRaw`
          UPDATE roa SET expires_at = changed.expires_at
          FROM unnest(${chunk.map((change) => change.id)}::int4[], ${chunk.map((change) => change.expiresAt?.toISOString() ?? null)}::timestamp[]) AS changed(id, expires_at)
          WHERE roa.id = changed.id`;
      }
      if (plan.filters) {
        await tx.slurmFilter.deleteMany({});
        await tx.slurmFilter.createMany({ data: plan.filters.after.map((filter) => ({ prefix: filter.prefix, asn: filter.asn === null ? null : BigInt(filter.asn), comment: filter.comment })) });
      }
      if (plan.aspas) {
        await tx.aspa.deleteMany({ where: { id: { in: plan.aspas.removed.map((aspa) => aspa.id) } } });
        for (const chunk of chunks(plan.aspas.added)) {
          await tx.aspa.createMany({
            data: chunk.map((aspa) => ({ customerAsn: BigInt(aspa.customerAsn), providerAsns: aspa.providerAsns.map(BigInt), afi: aspa.afi, ta: aspa.ta, source: aspa.source, expiresAt: aspa.expiresAt })),
          });
        }
      }
      await recordAudit(tx, actor, {
        action: "roa.import",
        target: { type: "roa", id: plan.sources.join(",") },
        detail: {
          format: plan.format,
          sources: plan.sources,
          added: plan.added.length,
          removed: plan.removed.length,
          unchanged: plan.unchanged,
          ...(plan.expiryChanged.length ? { expiryChanged: plan.expiryChanged.length } : {}),
          ...(plan.filters ? { filters: { before: plan.filters.before.length, after: plan.filters.after.length } } : {}),
          ...(plan.aspas ? { aspas: { removed: plan.aspas.removed.length, added: plan.aspas.added.length } } : {}),
          validityChanges: changes.map((change) => ({ prefix: change.cidr, origin: change.originAsn, before: change.before, after: change.after })),
        },
        ip,
      });
      return { added: plan.added.length, removed: plan.removed.length, unchanged: plan.unchanged, aspas: plan.aspas?.added.length ?? null, validityChanges: changes.length };
    },
    // A full validator set is hundreds of thousands of rows: more than Prisma's 5 s default.
    { timeout: 300_000, maxWait: 30_000 },
  );
}
