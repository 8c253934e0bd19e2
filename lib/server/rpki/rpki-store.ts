import "server-only";
import { cidr, type Cidr } from "@/lib/domain/cidr";
import { effectiveState } from "@/lib/domain/pop-state";
import { effectiveVrps, type EffectiveVrp, type FleetRoute, type StoredRoa } from "@/lib/domain/roas/roa-import";
import { coveringPrefixTexts } from "@/lib/domain/roas/vrp-index";
import type { SlurmFilter } from "@/lib/domain/roas/vrp-parse";
import type { Db, Tx } from "../db/create-client";

type Client = Db | Tx;

/** Every writer of ROAs or SLURM filters holds this for its transaction, so a dry run's digest stays true until its apply. */
const ROA_SET_LOCK = 5_270_811;

export async function lockRoaSet(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROA_SET_LOCK}::bigint)`;
}

type RoaRecord = { id: number; prefix: string; maxLength: number; asn: bigint; source: string; expiresAt: Date | null };

const toStored = (row: RoaRecord): StoredRoa => ({ id: row.id, prefix: row.prefix, maxLength: row.maxLength, asn: Number(row.asn), source: row.source, expiresAt: row.expiresAt });

export async function loadStoredRoas(client: Client): Promise<StoredRoa[]> {
  const rows = await client.roa.findMany({ select: { id: true, prefix: true, maxLength: true, asn: true, source: true, expiresAt: true }, orderBy: { id: "asc" } });
  return rows.map(toStored);
}

export async function loadFilters(client: Client): Promise<SlurmFilter[]> {
  const rows = await client.slurmFilter.findMany({ orderBy: { id: "asc" } });
  return rows.map((row) => ({ prefix: row.prefix, asn: row.asn === null ? null : Number(row.asn), comment: row.comment }));
}

/**
 * The effective VRPs that cover any of `routes`, read by exact prefix (the unique index on
 * roa leads with prefix): a fleet's checks never load a full validator set.
 */
export async function loadCoveringVrps(client: Client, routes: readonly Cidr[], now = new Date()): Promise<EffectiveVrp[]> {
  const keys = [...new Set(routes.flatMap(coveringPrefixTexts))];
  if (keys.length === 0) return [];
  const [rows, filters] = await Promise.all([
    client.roa.findMany({ where: { prefix: { in: keys } }, select: { id: true, prefix: true, maxLength: true, asn: true, source: true, expiresAt: true }, orderBy: { id: "asc" } }),
    loadFilters(client),
  ]);
  return effectiveVrps(rows.map(toStored), filters, now).vrps;
}

/** Each prefix with its one origin, and how many PoPs have it in the table (announced or drained). */
export async function listFleetRoutes(client: Client): Promise<FleetRoute[]> {
  const prefixes = await client.prefix.findMany({
    select: { id: true, cidr: true, originAsn: true, announcements: { select: { desiredState: true, observedState: true } } },
    orderBy: { cidr: "asc" },
  });
  return prefixes.map((prefix) => ({
    prefixId: prefix.id,
    cidr: prefix.cidr,
    originAsn: Number(prefix.originAsn),
    pops: prefix.announcements.filter((a) => effectiveState(a) !== "withdrawn").length,
  }));
}

export function routeCidrs(routes: readonly FleetRoute[]): Cidr[] {
  return routes.map((route) => cidr(route.cidr));
}
