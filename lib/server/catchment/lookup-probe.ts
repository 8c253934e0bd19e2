import "server-only";
import ipaddr from "ipaddr.js";
import { isIpAddress } from "@/lib/domain/cidr";
import { clientPrefixOf } from "@/lib/ingest/client-prefix";
import type { MeasurementSource } from "@/lib/ingest/types";
import type { Db, Tx } from "../db/create-client";

export type ProbeRow = { id: number; source: string; externalId: string; country: string | null; asnV4: number | null; addressV4: string | null; addressV6: string | null; lat: number | null; lon: number | null };
export type Answer = { prefix: string; service: string; popCode: string | null; answer: string; rttMs: number | null; at: string };

export type LookupResult =
  | { kind: "none"; query: string; nearby: ProbeRow[] }
  | { kind: "many"; query: string; probes: ProbeRow[] }
  | { kind: "probe"; query: string; probe: ProbeRow; current: Answer[]; history: (Answer & { moved: boolean })[] };

const HISTORY_LIMIT = 200;

const probeSelect = { id: true, source: true, externalId: true, country: true, asnV4: true, addressV4: true, addressV6: true, latitude: true, longitude: true } as const;

function toRow(p: { id: number; source: string; externalId: string; country: string | null; asnV4: bigint | null; addressV4: string | null; addressV6: string | null; latitude: number | null; longitude: number | null }): ProbeRow {
  return { id: p.id, source: p.source, externalId: p.externalId, country: p.country?.trim() ?? null, asnV4: p.asnV4 === null ? null : Number(p.asnV4), addressV4: p.addressV4, addressV6: p.addressV6, lat: p.latitude, lon: p.longitude };
}

/**
 * "Which PoP served this?": a probe by its id (any source, or the one given) or by its public
 * address; its latest answer per prefix and its answers of the last day, newest first, with
 * each move to another PoP marked. An address no probe has finds the catchment scan's probe of
 * its /24 (or /48); failing that, the probes in the same /24 are listed.
 */
export async function lookupProbe(db: Db | Tx, query: string, source?: MeasurementSource): Promise<LookupResult> {
  const q = query.trim();
  let probes;
  if (isIpAddress(q)) {
    const address = ipaddr.parse(q).toString();
    probes = await db.probe.findMany({ where: { OR: [{ addressV4: address }, { addressV6: address }] }, select: probeSelect, take: 50 });
    // A catchment scan's probe is the address's /24 or /48 (lib/ingest/client-prefix.ts).
    const client = probes.length === 0 ? clientPrefixOf(address) : null;
    if (client) probes = await db.probe.findMany({ where: { externalId: client.cidr, source: { in: ["verfploeter", "manycastr"] } }, select: probeSelect, take: 50 });
    if (probes.length === 0) {
      // Nearby: the same /24. (Stored IPv6 addresses are compressed text, which a prefix
      // of characters cannot match reliably, so IPv6 gets no such hint.)
      const parsed = ipaddr.parse(q);
      const nearby =
        parsed.kind() === "ipv4"
          ? await db.probe.findMany({ where: { addressV4: { startsWith: `${address.split(".").slice(0, 3).join(".")}.` } }, select: probeSelect, take: 20 })
          : [];
      return { kind: "none", query: q, nearby: nearby.map(toRow) };
    }
  } else {
    probes = await db.probe.findMany({ where: { externalId: q, ...(source ? { source } : {}) }, select: probeSelect, take: 50 });
  }
  if (probes.length === 0) return { kind: "none", query: q, nearby: [] };
  if (probes.length > 1) return { kind: "many", query: q, probes: probes.map(toRow) };

  const probe = probes[0]!;
  const since = new Date(Date.now() - 24 * 3_600_000);
  const [current, history] = await Promise.all([
    currentAnswers(db, probe.id),
    db.measurement.findMany({
      where: { probeId: probe.id, measuredAt: { gte: since } },
      include: { prefix: { select: { cidr: true, service: true } }, pop: { select: { code: true } } },
      orderBy: { measuredAt: "desc" },
      take: HISTORY_LIMIT,
    }),
  ]);
  const answer = (m: (typeof history)[number] | (typeof current)[number]): Answer => ({
    prefix: m.prefix.cidr,
    service: m.prefix.service,
    popCode: m.pop?.code ?? null,
    answer: m.answer,
    rttMs: m.rttMs,
    at: m.measuredAt.toISOString(),
  });
  // Oldest first to see moves, then newest first to show.
  const previous = new Map<string, string | null>();
  const marked = [...history].reverse().map((m) => {
    const row = answer(m);
    const moved = previous.has(row.prefix) && previous.get(row.prefix) !== row.popCode;
    previous.set(row.prefix, row.popCode);
    return { ...row, moved };
  });
  return { kind: "probe", query: q, probe: toRow(probe), current: current.map(answer), history: marked.reverse() };
}

/** The probe's current answer per prefix, with the prefix and PoP (current_catchment has no relations: see the schema). */
async function currentAnswers(db: Db | Tx, probeId: number) {
  const rows = await db.currentCatchment.findMany({ where: { probeId }, orderBy: { prefixId: "asc" } });
  const [prefixes, pops] = await Promise.all([
    db.prefix.findMany({ where: { id: { in: rows.map((row) => row.prefixId) } }, select: { id: true, cidr: true, service: true } }),
    db.pop.findMany({ where: { id: { in: rows.flatMap((row) => (row.popId === null ? [] : [row.popId])) } }, select: { id: true, code: true } }),
  ]);
  const prefixById = new Map(prefixes.map((prefix) => [prefix.id, prefix]));
  const popById = new Map(pops.map((pop) => [pop.id, pop]));
  return rows.flatMap((row) => {
    const prefix = prefixById.get(row.prefixId);
    return prefix ? [{ ...row, prefix, pop: row.popId === null ? null : (popById.get(row.popId) ?? null) }] : [];
  });
}
