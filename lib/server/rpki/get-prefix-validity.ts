import "server-only";
import { cidr } from "@/lib/domain/cidr";
import { validateOrigin, type ValidationResult, type Vrp } from "@/lib/domain/rpki";
import { db } from "../db/client";

export type RoaRow = { id: number; prefix: string; maxLength: number; asn: number; source: string; expiresAt: Date | null };

export async function listRoas(): Promise<RoaRow[]> {
  const rows = await db.roa.findMany({ orderBy: [{ family: "asc" }, { prefix: "asc" }, { asn: "asc" }] });
  return rows.map((row) => ({ id: row.id, prefix: row.prefix, maxLength: row.maxLength, asn: Number(row.asn), source: row.source, expiresAt: row.expiresAt }));
}

export function toVrps(roas: readonly RoaRow[]): (Vrp & { roa: RoaRow })[] {
  return roas.map((roa) => ({ prefix: cidr(roa.prefix), maxLength: roa.maxLength, asn: roa.asn, roa }));
}

/** RFC 6811 validity of each prefix's origin, keyed by prefix id. Every PoP announces a prefix with its one origin. */
export async function getPrefixValidity(): Promise<Map<number, ValidationResult>> {
  const [prefixes, roas] = await Promise.all([db.prefix.findMany({ select: { id: true, cidr: true, originAsn: true } }), listRoas()]);
  const vrps = toVrps(roas);
  return new Map(prefixes.map((prefix) => [prefix.id, validateOrigin(cidr(prefix.cidr), Number(prefix.originAsn), vrps)]));
}
