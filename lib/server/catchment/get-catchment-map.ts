import "server-only";
import type { Db, Tx } from "../db/create-client";
import { canonicalCidr } from "@/lib/domain/cidr";
import { parseRecordId } from "@/lib/domain/record-id";
import { Prisma } from "@/lib/generated/prisma/client";
import { findMisrouted, type MisroutedPop, type MisroutedReason } from "@/lib/domain/misrouted";
import { effectiveState, popAnnouncementState, type PopAnnouncementState } from "@/lib/domain/pop-state";
import { AppError } from "../errors";

/**
 * With a time `at`, a probe counts with its latest answer in this window before it. Long
 * enough for measurements every 4 h (RIPE Atlas built-in DNS measurements run every 4 min
 * to 4 h; the demo fleet's v6 and CDN prefixes every 4 h); short enough that a probe gone
 * silent for most of a day is not drawn where it was.
 */
export const HISTORY_WINDOW_HOURS = 6;

/**
 * Points the map draws at most: a scan placed by a geolocation file can hold a million /24s,
 * which no browser draws nor any API should send at once. Probes past it (in probe order) are
 * counted in `omittedPoints` and in the PoPs' shares, not drawn.
 */
export const MAP_POINT_LIMIT = 100_000;

/** Countries and networks listed per PoP for the probes without coordinates, the largest first. */
export const UNPLACED_TOP = 10;

export type CatchmentScope = { prefix?: string; service?: string };

export type CatchmentMapPop = {
  id: number;
  code: string;
  name: string;
  city: string;
  lat: number;
  lon: number;
  /** The PoP's current announcement state for the prefixes shown (not the state at `at`: no history is kept). */
  state: PopAnnouncementState;
  probes: number;
  /** probes / all answers shown, unmatched ones included. */
  share: number;
  simulated: boolean;
};

/**
 * The catchment for the map, compact: one array per column, index i of each describing
 * answer i (a probe's latest answer for one prefix), in probe then prefix order, so an
 * index names the same answer from one refresh to the next. 15,000 probes make about 0.7 MB of
 * JSON this way, against about 2 MB as an array of objects.
 */
export type CatchmentMap = {
  prefixes: { id: number; cidr: string; service: string }[];
  service: string | null;
  /** The time asked for, or null for the current catchment. */
  at: string | null;
  /** The newest answer shown. */
  latestAt: string | null;
  probes: {
    id: number[];
    /** The probe's id at its source (RIPE Atlas probe id, or sim-1234 for a simulated probe). */
    ext: string[];
    lat: number[];
    lon: number[];
    /** ISO 3166 alpha-2, or null when the probe's source does not say. */
    country: (string | null)[];
    /** The probe's ASN for the prefix's address family. */
    asn: (number | null)[];
    rtt: (number | null)[];
    pop: (number | null)[];
    prefix: number[];
    /** Index into `answers`: answers repeat, one or a few per PoP. */
    answer: number[];
  };
  answers: string[];
  /**
   * Every answer in scope, drawn or not: the denominator of the shares. Probes without
   * coordinates (a Verfploeter or MAnycastR scan's /24s) are counted here and in `unplaced`,
   * never drawn; a scan of a million /24s is a few hundred rows of counts.
   */
  total: number;
  /** Placed probes past MAP_POINT_LIMIT: counted, not drawn. */
  omittedPoints: number;
  unplaced: {
    answers: number;
    /** Per PoP (null: unmatched answers), with its largest countries and networks. */
    pops: { pop: number | null; answers: number; countries: { country: string; answers: number }[]; asns: { asn: number; answers: number }[] }[];
  };
  simulatedProbes: number;
  unmatched: number;
  pops: CatchmentMapPop[];
  misrouted: { probe: number; pop: number; reasons: MisroutedReason[] }[];
};

type AnswerRow = {
  probe_id: number;
  external_id: string;
  latitude: number | null;
  longitude: number | null;
  country: string | null;
  asn: number | null;
  rtt_ms: number | null;
  pop_id: number | null;
  prefix_id: number;
  answer: string;
  simulated: boolean;
};

async function resolveScope(db: Db | Tx, scope: CatchmentScope) {
  if (scope.prefix !== undefined) {
    const byId = parseRecordId(scope.prefix);
    const cidr = byId === null ? (canonicalCidr(scope.prefix) ?? scope.prefix) : null;
    const prefix = await db.prefix.findFirst({
      where: byId !== null ? { id: byId } : { cidr: cidr! },
      select: { id: true, cidr: true, service: true, family: true },
    });
    if (!prefix) throw new AppError("not_found", `There is no prefix ${scope.prefix}.`);
    return { prefixes: [prefix], service: null };
  }
  const service = scope.service!;
  const prefixes = await db.prefix.findMany({
    where: { service },
    orderBy: [{ family: "asc" }, { cidr: "asc" }],
    select: { id: true, cidr: true, service: true, family: true },
  });
  if (!prefixes.length) throw new AppError("not_found", `No prefix carries the service ${service}.`);
  return { prefixes, service };
}

/**
 * The answers in scope as a subquery `a` (probe_id, prefix_id, pop_id, answer, rtt_ms,
 * measured_at): the current catchment, or each probe's latest answer in the window before `at`
 * (the (prefix_id, measured_at) index finds the window; DISTINCT ON keeps each probe's latest).
 */
function answersInScope(prefixIds: number[], at?: Date): Prisma.Sql {
  if (!at) {
    return Prisma.sql`(SELECT probe_id, prefix_id, pop_id, answer, rtt_ms, measured_at FROM current_catchment WHERE prefix_id = ANY(${prefixIds}::int4[])) a`;
  }
  const since = new Date(at.getTime() - HISTORY_WINDOW_HOURS * 3600_000);
  return Prisma.sql`(
    SELECT DISTINCT ON (m.probe_id, m.prefix_id) m.probe_id, m.prefix_id, m.pop_id, m.answer, m.rtt_ms, m.measured_at
      FROM measurement m
     WHERE m.prefix_id = ANY(${prefixIds}::int4[]) AND m.measured_at <= ${at} AND m.measured_at > ${since}
     ORDER BY m.probe_id, m.prefix_id, m.measured_at DESC) a`;
}

// Plain rows, not array_agg columns: Prisma decodes rows of scalars several times faster
// than large array values (measured: 3,000 answers in about 15 ms against 40 ms).
async function readAnswers(db: Db | Tx, prefixIds: number[], v6PrefixIds: number[], at?: Date) {
  const answers = answersInScope(prefixIds, at);
  return Promise.all([
    db.$queryRaw<AnswerRow[]>`
      SELECT a.probe_id, p.external_id, p.latitude, p.longitude, rtrim(p.country) AS country,
             (CASE WHEN a.prefix_id = ANY(${v6PrefixIds}::int4[]) THEN p.asn_v6 ELSE p.asn_v4 END)::float8 AS asn,
             a.rtt_ms, a.pop_id, a.prefix_id, a.answer, p.source = 'simulated' AS simulated
        FROM ${answers}
        JOIN probe p ON p.id = a.probe_id
       WHERE p.latitude IS NOT NULL
       ORDER BY a.probe_id, a.prefix_id
       LIMIT ${MAP_POINT_LIMIT}`,
    db.$queryRaw<{ pop_id: number | null; placed: boolean; answers: number; latest_at: Date | null }[]>`
      SELECT a.pop_id, p.latitude IS NOT NULL AS placed, count(*)::int4 AS answers, max(a.measured_at) AS latest_at
        FROM ${answers}
        JOIN probe p ON p.id = a.probe_id
       GROUP BY 1, 2`,
  ]);
}

/** The probes without coordinates per PoP, by country and by network (largest UNPLACED_TOP each). */
async function readUnplaced(db: Db | Tx, prefixIds: number[], v6PrefixIds: number[], at?: Date) {
  return db.$queryRaw<{ kind: "country" | "asn"; pop_id: number | null; key: string; answers: number }[]>`
    WITH unplaced AS (
      SELECT a.pop_id, rtrim(p.country) AS country, CASE WHEN a.prefix_id = ANY(${v6PrefixIds}::int4[]) THEN p.asn_v6 ELSE p.asn_v4 END AS asn
        FROM ${answersInScope(prefixIds, at)}
        JOIN probe p ON p.id = a.probe_id
       WHERE p.latitude IS NULL
    ), grouped AS (
      SELECT CASE WHEN GROUPING(country) = 0 THEN 'country' ELSE 'asn' END AS kind, pop_id,
             COALESCE(country, asn::text) AS key, count(*)::int4 AS answers
        FROM unplaced
       GROUP BY GROUPING SETS ((pop_id, country), (pop_id, asn))
    ), ranked AS (
      SELECT *, row_number() OVER (PARTITION BY kind, pop_id ORDER BY answers DESC, key) AS rank FROM grouped WHERE key IS NOT NULL
    )
    SELECT kind, pop_id, key, answers FROM ranked WHERE rank <= ${UNPLACED_TOP} ORDER BY kind, pop_id, answers DESC, key`;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The catchment of a prefix or a service, now or at a past time, with PoPs, shares and misrouted probes. */
export async function getCatchmentMap(db: Db | Tx, scope: CatchmentScope, at?: Date): Promise<CatchmentMap> {
  const { prefixes, service } = await resolveScope(db, scope);
  const prefixIds = prefixes.map((prefix) => prefix.id);
  const v6PrefixIds = prefixes.filter((prefix) => prefix.family === 6).map((prefix) => prefix.id);
  // The current catchment's unplaced probes are broken down alongside (over a million /24s each
  // query is a scan of it; with none it costs a few ms); a past time's only once there are some,
  // as each query there picks the latest answers from the window again.
  const [[rows, tallies], currentUnplaced, announcements] = await Promise.all([
    readAnswers(db, prefixIds, v6PrefixIds, at),
    at ? null : readUnplaced(db, prefixIds, v6PrefixIds),
    db.announcement.findMany({ where: { prefixId: { in: prefixIds } }, select: { popId: true, prefixId: true, desiredState: true, observedState: true } }),
  ]);

  const popIds = rows.map((row) => row.pop_id);
  // Shares count every answer, drawn or not.
  const counts = new Map<number, number>();
  let total = 0;
  let unplacedAnswers = 0;
  let latestAt: Date | null = null;
  for (const tally of tallies) {
    total += tally.answers;
    if (!tally.placed) unplacedAnswers += tally.answers;
    if (tally.pop_id !== null) counts.set(tally.pop_id, (counts.get(tally.pop_id) ?? 0) + tally.answers);
    if (tally.latest_at && (!latestAt || tally.latest_at > latestAt)) latestAt = tally.latest_at;
  }
  const unplacedRows = currentUnplaced ?? (unplacedAnswers > 0 ? await readUnplaced(db, prefixIds, v6PrefixIds, at) : []);
  const servedPopIds = new Set(counts.keys());
  const announcingPopIds = new Set(announcements.map((announcement) => announcement.popId));
  const popRows = await db.pop.findMany({
    where: { OR: [{ id: { in: [...servedPopIds] } }, { id: { in: [...announcingPopIds] }, status: { not: "decommissioned" } }] },
    orderBy: { code: "asc" },
    select: { id: true, code: true, name: true, city: true, latitude: true, longitude: true, simulated: true },
  });


  const answerIndex = new Map<string, number>();
  const answers: string[] = [];
  const answerColumn = rows.map(({ answer }) => {
    let index = answerIndex.get(answer);
    if (index === undefined) {
      index = answers.push(answer) - 1;
      answerIndex.set(answer, index);
    }
    return index;
  });

  // The query draws placed probes only.
  const lat = rows.map((row) => round(row.latitude!, 3));
  const lon = rows.map((row) => round(row.longitude!, 3));
  const rtt = rows.map((row) => (row.rtt_ms === null ? null : round(row.rtt_ms, 1)));
  const prefixColumn = rows.map((row) => row.prefix_id);

  // Misrouted is judged per prefix, against the PoPs announcing that prefix.
  const misrouted: CatchmentMap["misrouted"] = [];
  for (const prefixId of prefixIds) {
    const states = new Map(announcements.filter((a) => a.prefixId === prefixId).map((a) => [a.popId, effectiveState(a)]));
    const pops: MisroutedPop[] = popRows.map((pop) => ({ id: pop.id, lat: pop.latitude, lon: pop.longitude, state: states.get(pop.id) ?? "none" }));
    const indexes = prefixColumn.flatMap((id, index) => (id === prefixId ? [index] : []));
    const found = findMisrouted(indexes.map((index) => ({ lat: lat[index]!, lon: lon[index]!, popId: popIds[index]!, rttMs: rtt[index]! })), pops);
    for (const [position, misrouting] of found) misrouted.push({ probe: indexes[position]!, pop: misrouting.popId, reasons: misrouting.reasons });
  }
  misrouted.sort((a, b) => a.probe - b.probe);

  return {
    prefixes: prefixes.map(({ id, cidr, service }) => ({ id, cidr, service })),
    service,
    at: at ? at.toISOString() : null,
    latestAt: latestAt ? new Date(latestAt).toISOString() : null,
    probes: {
      id: rows.map((row) => row.probe_id),
      ext: rows.map((row) => row.external_id),
      lat,
      lon,
      country: rows.map((row) => row.country),
      asn: rows.map((row) => row.asn),
      rtt,
      pop: popIds,
      prefix: prefixColumn,
      answer: answerColumn,
    },
    answers,
    total,
    omittedPoints: total - unplacedAnswers - rows.length,
    unplaced: { answers: unplacedAnswers, pops: unplacedByPop(tallies, unplacedRows) },
    simulatedProbes: rows.reduce((sum, row) => sum + (row.simulated ? 1 : 0), 0),
    unmatched: total - [...counts.values()].reduce((sum, count) => sum + count, 0),
    pops: popRows.map((pop) => ({
      id: pop.id,
      code: pop.code,
      name: pop.name,
      city: pop.city,
      lat: pop.latitude,
      lon: pop.longitude,
      state: popAnnouncementState(announcements.filter((a) => a.popId === pop.id)),
      probes: counts.get(pop.id) ?? 0,
      share: total ? (counts.get(pop.id) ?? 0) / total : 0,
      simulated: pop.simulated,
    })),
    misrouted,
  };
}

function unplacedByPop(
  tallies: readonly { pop_id: number | null; placed: boolean; answers: number }[],
  rows: readonly { kind: "country" | "asn"; pop_id: number | null; key: string; answers: number }[],
): CatchmentMap["unplaced"]["pops"] {
  return tallies
    .filter((tally) => !tally.placed)
    .sort((a, b) => b.answers - a.answers)
    .map((tally) => {
      const mine = rows.filter((row) => row.pop_id === tally.pop_id);
      return {
        pop: tally.pop_id,
        answers: tally.answers,
        countries: mine.filter((row) => row.kind === "country").map((row) => ({ country: row.key, answers: row.answers })),
        asns: mine.filter((row) => row.kind === "asn").map((row) => ({ asn: Number(row.key), answers: row.answers })),
      };
    });
}

export type CatchmentPrefixOption = { id: number; cidr: string; service: string };
