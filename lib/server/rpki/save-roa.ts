import "server-only";
import type { RoaInput } from "@/lib/domain/roas/prefix-roa-input";
import { recordAudit, type Actor } from "../audit";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { lockRoaSet } from "./rpki-store";

/** The unique index on roa, shown next to the prefix field. */
export const ROA_UNIQUE_FIELDS = { roa_prefix_max_length_asn_source_key: "prefix", prefix: "prefix", max_length: "prefix", asn: "prefix", source: "prefix" };

function roaData(input: RoaInput) {
  return { prefix: input.prefix.text, family: input.prefix.family, length: input.prefix.length, maxLength: input.maxLength, asn: BigInt(input.asn), expiresAt: input.expiresAt };
}

const described = (input: RoaInput) => ({ prefix: input.prefix.text, maxLength: input.maxLength, asn: input.asn, expiresAt: input.expiresAt?.toISOString() ?? null });

/** ROAs typed in the console have source "manual"; imported ones change only by import. */
async function manualRoa(tx: Parameters<Parameters<Db["$transaction"]>[0]>[0], id: number) {
  const roa = await tx.roa.findUnique({ where: { id } });
  if (!roa) throw new AppError("not_found", "That ROA no longer exists.");
  if (roa.source !== "manual") {
    throw new AppError("refused", `This ROA came from an import (${roa.source}): change it at its source and import again, or filter it with SLURM.`);
  }
  return roa;
}

export async function createRoa(db: Db, input: RoaInput, actor: Actor, ip: string | null) {
  return db.$transaction(async (tx) => {
    await lockRoaSet(tx);
    const roa = await tx.roa.create({ data: { ...roaData(input), source: "manual" } });
    await recordAudit(tx, actor, { action: "roa.create", target: { type: "roa", id: roa.id }, detail: described(input), ip });
    return roa;
  });
}

export async function updateRoa(db: Db, id: number, input: RoaInput, actor: Actor, ip: string | null) {
  return db.$transaction(async (tx) => {
    await lockRoaSet(tx);
    const before = await manualRoa(tx, id);
    const roa = await tx.roa.update({ where: { id }, data: roaData(input) });
    await recordAudit(tx, actor, {
      action: "roa.update",
      target: { type: "roa", id },
      detail: { before: { prefix: before.prefix, maxLength: before.maxLength, asn: Number(before.asn), expiresAt: before.expiresAt?.toISOString() ?? null }, after: described(input) },
      ip,
    });
    return roa;
  });
}

export async function deleteRoa(db: Db, id: number, actor: Actor, ip: string | null) {
  return db.$transaction(async (tx) => {
    await lockRoaSet(tx);
    const roa = await manualRoa(tx, id);
    await tx.roa.delete({ where: { id } });
    await recordAudit(tx, actor, { action: "roa.delete", target: { type: "roa", id }, detail: { prefix: roa.prefix, maxLength: roa.maxLength, asn: Number(roa.asn) }, ip });
    return roa;
  });
}
