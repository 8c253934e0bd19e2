import "server-only";
import { scenarioDefinition, type ScenarioDefinition, type ScenarioInput } from "@/lib/domain/placement/scenario-input";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit, type Actor } from "../audit";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";

// Placement scenarios: stored definitions, audited. Operators and admins write them (the
// caller checks the role); everyone signed in reads them.

export type ScenarioSummary = { id: string; name: string; notes: string; authorName: string; createdAt: Date; updatedAt: Date };
export type StoredScenario = ScenarioSummary & { definition: ScenarioDefinition };

const summaryFields = { id: true, name: true, notes: true, authorName: true, createdAt: true, updatedAt: true } as const;

export async function listScenarios(db: Db | Tx): Promise<ScenarioSummary[]> {
  return db.scenario.findMany({ select: summaryFields, orderBy: { updatedAt: "desc" }, take: 500 });
}

export async function getScenario(db: Db | Tx, id: string): Promise<StoredScenario> {
  const row = await db.scenario.findUnique({ where: { id }, select: { ...summaryFields, definition: true } });
  if (!row) throw new AppError("not_found", "There is no such scenario: it may have been deleted.");
  // Stored by this module after validation; parsed again so a row written by an older version
  // still reads, and one today's rules refuse says so instead of failing as a server error.
  const definition = scenarioDefinition.safeParse(row.definition);
  if (!definition.success) {
    throw new AppError("conflict", `Scenario "${row.name}" was saved under other rules and no longer reads (${definition.error.issues[0]?.message ?? "invalid"}): delete it and save it again.`);
  }
  return { ...row, definition: definition.data };
}

/** Refuses a definition naming PoPs the fleet does not have, listing them. */
async function checkPopCodes(db: Db | Tx, definition: ScenarioDefinition): Promise<void> {
  const named = [...new Set([...definition.removed, ...definition.prepends.map((p) => p.pop)])];
  if (named.length === 0) return;
  const known = new Set((await db.pop.findMany({ where: { code: { in: named } }, select: { code: true } })).map((pop) => pop.code));
  const unknown = named.filter((code) => !known.has(code));
  if (unknown.length) {
    throw new AppError("invalid_input", `The fleet has no PoP ${unknown.join(", ")}.`, { definition: [`Unknown PoP${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}.`] });
  }
}

const described = (input: ScenarioInput) => ({
  name: input.name,
  removed: input.definition.removed,
  added: input.definition.added.map((pop) => `${pop.city} (${pop.country}), ${pop.capacityGbps} Gbit/s`),
  prepends: input.definition.prepends.map((p) => `${p.pop} ×${p.prepends}`),
});

export async function createScenario(db: Db, input: ScenarioInput, actor: Actor, ip: string | null): Promise<StoredScenario> {
  return db.$transaction(async (tx) => {
    await checkPopCodes(tx, input.definition);
    const row = await tx.scenario.create({
      data: { name: input.name, notes: input.notes, definition: input.definition as unknown as Prisma.InputJsonValue, authorId: actor.id, authorName: actor.name },
      select: { ...summaryFields },
    });
    await recordAudit(tx, actor, { action: "scenario.create", target: { type: "scenario", id: row.id }, detail: described(input), ip });
    return { ...row, definition: input.definition };
  });
}

export async function updateScenario(db: Db, id: string, input: ScenarioInput, actor: Actor, ip: string | null): Promise<StoredScenario> {
  return db.$transaction(async (tx) => {
    const before = await tx.scenario.findUnique({ where: { id }, select: { name: true } });
    if (!before) throw new AppError("not_found", "There is no such scenario: it may have been deleted.");
    await checkPopCodes(tx, input.definition);
    const row = await tx.scenario.update({
      where: { id },
      data: { name: input.name, notes: input.notes, definition: input.definition as unknown as Prisma.InputJsonValue },
      select: { ...summaryFields },
    });
    await recordAudit(tx, actor, { action: "scenario.update", target: { type: "scenario", id }, detail: { ...described(input), previousName: before.name }, ip });
    return { ...row, definition: input.definition };
  });
}

export async function deleteScenario(db: Db, id: string, actor: Actor, ip: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.scenario.findUnique({ where: { id }, select: { name: true } });
    if (!row) throw new AppError("not_found", "There is no such scenario: it may have been deleted.");
    await tx.scenario.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "scenario.delete", target: { type: "scenario", id }, detail: { name: row.name }, ip });
  });
}

/** What the scenario editor offers: the fleet's PoPs, and its upstreams' ASNs to give a candidate. */
export async function scenarioEditorChoices(db: Db | Tx): Promise<{ pops: { code: string; city: string }[]; upstreams: { asn: number; name: string }[] }> {
  const [pops, upstreams] = await Promise.all([
    db.pop.findMany({ where: { status: { not: "decommissioned" } }, select: { code: true, city: true }, orderBy: { code: "asc" } }),
    db.upstream.findMany({ distinct: ["peerAsn"], where: { kind: "transit" }, select: { peerAsn: true, name: true }, orderBy: { peerAsn: "asc" } }),
  ]);
  return { pops, upstreams: upstreams.map((upstream) => ({ asn: Number(upstream.peerAsn), name: upstream.name })) };
}
