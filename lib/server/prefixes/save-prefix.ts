import "server-only";
import type { PrefixInput } from "@/lib/domain/roas/prefix-roa-input";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";

export const PREFIX_UNIQUE_FIELDS = { prefix_cidr_key: "cidr" };

function prefixData(input: PrefixInput) {
  return {
    cidr: input.cidr.text,
    family: input.cidr.family,
    length: input.cidr.length,
    originAsn: BigInt(input.originAsn),
    service: input.service,
    description: input.description,
    safetyFloor: input.safetyFloor,
  };
}

const described = (input: PrefixInput) => ({ cidr: input.cidr.text, originAsn: input.originAsn, service: input.service, description: input.description, safetyFloor: input.safetyFloor });

export async function createPrefix(db: Db, input: PrefixInput, actor: Actor, ip: string | null) {
  return db.$transaction(async (tx) => {
    const prefix = await tx.prefix.create({ data: prefixData(input) });
    await recordAudit(tx, actor, { action: "prefix.create", target: { type: "prefix", id: prefix.cidr }, detail: described(input), ip });
    return prefix;
  });
}

export async function updatePrefix(db: Db, id: number, input: PrefixInput, actor: Actor, ip: string | null) {
  return db.$transaction(async (tx) => {
    const before = await tx.prefix.findUnique({ where: { id }, include: { _count: { select: { announcements: true, operations: true } } } });
    if (!before) throw new AppError("not_found", "That prefix no longer exists.");
    // Operations and measurements refer to the prefix by id: renumbering it would rewrite their history.
    if (before.cidr !== input.cidr.text && before._count.announcements + before._count.operations > 0) {
      throw new AppError("conflict", `${before.cidr} is announced or has operations: its address cannot change. Create a new prefix instead.`, {
        cidr: [`Keep ${before.cidr}: it is in use.`],
      });
    }
    const prefix = await tx.prefix.update({ where: { id }, data: prefixData(input) });
    const data = described(input);
    const old = { cidr: before.cidr, originAsn: Number(before.originAsn), service: before.service, description: before.description, safetyFloor: before.safetyFloor };
    const changed = Object.fromEntries(
      Object.entries(data)
        .filter(([key, value]) => old[key as keyof typeof old] !== value)
        .map(([key, value]) => [key, { from: old[key as keyof typeof old], to: value }]),
    );
    await recordAudit(tx, actor, { action: "prefix.update", target: { type: "prefix", id: prefix.cidr }, detail: { changed }, ip });
    return prefix;
  });
}

/** Refuses, with the reason, a prefix still announced or named by operations (they keep it with onDelete Restrict). */
export async function deletePrefix(db: Db, id: number, actor: Actor, ip: string | null) {
  return db.$transaction(async (tx) => {
    const prefix = await tx.prefix.findUnique({ where: { id }, include: { _count: { select: { announcements: true, operations: true, operationSteps: true, withdrawLeases: true } } } });
    if (!prefix) throw new AppError("not_found", "That prefix no longer exists.");
    const { announcements, operations, operationSteps, withdrawLeases } = prefix._count;
    if (announcements > 0) {
      throw new AppError("conflict", `${prefix.cidr} is still configured at ${announcements} PoP${announcements === 1 ? "" : "s"}: withdraw it and remove it from those PoPs first.`);
    }
    if (operations + operationSteps + withdrawLeases > 0) {
      throw new AppError("conflict", `${prefix.cidr} has ${operations || operationSteps} recorded operation${(operations || operationSteps) === 1 ? "" : "s"}: their history keeps it, so it cannot be deleted.`);
    }
    await tx.prefix.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "prefix.delete", target: { type: "prefix", id: prefix.cidr }, detail: { cidr: prefix.cidr, originAsn: Number(prefix.originAsn), service: prefix.service }, ip });
    return prefix;
  });
}
