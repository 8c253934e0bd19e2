import "server-only";
import { cidr, type Cidr } from "@/lib/domain/cidr";
import { effectiveState } from "@/lib/domain/pop-state";
import { effectiveVrps, type EffectiveVrp, type FleetRoute, type StoredAspa, type StoredRoa } from "@/lib/domain/roas/roa-import";
import { coveringPrefixTexts } from "@/lib/domain/roas/vrp-index";
import type { AspaFamily, SlurmFilter } from "@/lib/domain/roas/vrp-parse";
import type { Db, Tx } from "../db/create-client";

type Client = Db | Tx;

/** Every writer of ROAs or SLURM filters holds this for its transaction, so a dry run's digest stays true until its apply. */
const ROA_SET_LOCK = 5_270_811;

export async function lockRoaSet(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROA_SET_LOCK}::bigint)`;
}

type RoaRecord = { id: number; prefix: string; maxLength: number; asn: bigint; source: string; expiresAt: Date | null };

const toStored = (row: RoaRecord): StoredRoa => ({ id: row.id, prefix: row.prefix, maxLength: row.maxLength, asn: Number(row.asn), source: row.source, expiresAt: row.expiresAt });

/**
 * Every stored ROA. A full validator set is 500,000 rows: read as one text aggregate and split
 * here, which is an order of magnitude faster than as 500,000 rows through the driver.
 */
export async function loadStoredRoas(client: Client): Promise<StoredRoa[]> {
  const [row] = await client.$queryRaw<{ rows: string | null }[]>`
    SELECT string_agg(concat_ws(' ', id, prefix, max_length, asn, source, (extract(epoch FROM expires_at) * 1000)::bigint), E'\n' ORDER BY id) AS rows FROM roa`;
  if (!row?.rows) return [];
  return row.rows.split("\n").map((line) => {
    const [id, prefix, maxLength, asn, source, expires] = line.split(" ");
    return { id: Number(id), prefix: prefix!, maxLength: Number(maxLength), asn: Number(asn), source: source!, expiresAt: expires ? new Date(Number(expires)) : null };
  });
}

type AspaRow = { id: number; customerAsn: bigint; providerAsns: bigint[]; afi: string | null; ta: string | null; source: string; expiresAt: Date | null };

export const toStoredAspa = (row: AspaRow): StoredAspa => ({
  id: row.id,
  customerAsn: Number(row.customerAsn),
  providerAsns: row.providerAsns.map(Number),
  // Written only from the parser's "ipv4" | "ipv6" | null.
  afi: row.afi as AspaFamily | null,
  ta: row.ta,
  source: row.source,
  expiresAt: row.expiresAt,
});

/** Every stored ASPA object, in id order (a full validator run has a few thousand). */
export async function loadStoredAspas(client: Client): Promise<StoredAspa[]> {
  const rows = await client.aspa.findMany({ orderBy: { id: "asc" }, omit: { createdAt: true } });
  return rows.map(toStoredAspa);
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
  // In turn, not in parallel: the client may be a transaction, which has one connection.
  const rows = await client.roa.findMany({ where: { prefix: { in: keys } }, select: { id: true, prefix: true, maxLength: true, asn: true, source: true, expiresAt: true }, orderBy: { id: "asc" } });
  const filters = await loadFilters(client);
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
