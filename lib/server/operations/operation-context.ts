import "server-only";
import type { AnnouncementSnapshot } from "@/lib/domain/operations/plan";
import type { PrefixFacts } from "@/lib/domain/operations/safety";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";
import { getPrefixValidity } from "../rpki/get-prefix-validity";

/** The PoPs an operation names, and the prefixes it may touch there (null: every one they announce). */
export async function findOperationTarget(db: Db | Tx, popCodes: string[], only: readonly number[] | null) {
  const pops = await db.pop.findMany({ where: { code: { in: popCodes } }, include: { announcements: { select: { prefixId: true } } }, orderBy: { code: "asc" } });
  const unknown = popCodes.filter((code) => !pops.some((pop) => pop.code === code));
  if (unknown.length) throw new AppError("not_found", `There is no PoP ${unknown.join(", ")}.`, { popCodes: [`Unknown: ${unknown.join(", ")}`] });
  const prefixIds = [...new Set(pops.flatMap((pop) => pop.announcements.map((a) => a.prefixId)))].filter((id) => only === null || only.includes(id));
  const names = pops.map((pop) => pop.code).join(", ");
  if (only !== null && prefixIds.length === 0) {
    const those = only.length === 1 ? "that prefix" : "those prefixes";
    throw new AppError("invalid_input", `${names} ha${pops.length === 1 ? "s" : "ve"} no announcement of ${those}.`, { prefixId: ["Not announced there."] });
  }
  if (prefixIds.length === 0) throw new AppError("invalid_input", `${names} announce${pops.length === 1 ? "s" : ""} no prefix: there is nothing to change.`);
  return { pops, popIds: pops.map((pop) => pop.id), prefixIds: prefixIds.sort((a, b) => a - b) };
}

/** Every PoP's announcement of these prefixes, as the safety checks read them. */
export async function loadAnnouncements(db: Db | Tx, prefixIds: number[]): Promise<AnnouncementSnapshot[]> {
  return db.announcement.findMany({
    where: { prefixId: { in: prefixIds } },
    select: { popId: true, prefixId: true, desiredState: true, prependCount: true, observedState: true, observedPrepend: true },
  });
}

export async function loadPrefixFacts(db: Db | Tx, prefixIds: number[]): Promise<Map<number, PrefixFacts>> {
  const prefixes = await db.prefix.findMany({ where: { id: { in: prefixIds } }, select: { id: true, cidr: true, safetyFloor: true } });
  // In the caller's transaction (so in turn, on its one connection): the RPKI check sees the ROAs as they are now.
  const validity = await getPrefixValidity(db);
  return new Map(prefixes.map((p) => [p.id, { ...p, validity: validity.get(p.id)?.validity ?? "not_found" }]));
}

export async function loadPopCodes(db: Db | Tx): Promise<Map<number, string>> {
  const pops = await db.pop.findMany({ select: { id: true, code: true } });
  return new Map(pops.map((p) => [p.id, p.code]));
}
