import "server-only";
import type { Db, Tx } from "../db/create-client";
import { medianSeries, shareSeries, type HourlyAnswers, type HourlyMedian, type ShareSeries } from "@/lib/domain/catchment/history";

export type Transition = { fromCode: string; toCode: string; flips: number };
export type FlippingProbe = { probeId: number; externalId: string; source: string; country: string | null; flips: number; lastAt: string; lastFrom: string; lastTo: string };

export type CatchmentHistory = {
  hours: number;
  shares: ShareSeries;
  rtt: { regions: string[]; points: Record<string, number | string>[] };
  flips: { total: number; probes: number; transitions: Transition[]; probesList: FlippingProbe[] };
};

const LISTED = 50;

/**
 * Catchment share per PoP and median RTT per region, hour by hour, and the probes that
 * flipped PoP, over the last `hours`, for the given prefixes (all when null). Read from the
 * rollups the measurement trigger keeps, so the cost does not grow with the probe count.
 */
export async function getCatchmentHistory(db: Db | Tx, prefixIds: number[] | null, hours = 24): Promise<CatchmentHistory> {
  const since = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - (hours - 1) * 3_600_000);
  const ids = prefixIds ?? (await db.prefix.findMany({ select: { id: true } })).map((p) => p.id);
  const [answers, medians, pops, flipTotals, transitions, flippers] = await Promise.all([
    db.$queryRaw<HourlyAnswers[]>`
      SELECT bucket, pop_id AS "popId", sum(answers)::int AS answers
        FROM catchment_hourly WHERE prefix_id = ANY(${ids}::int4[]) AND bucket >= ${since}
       GROUP BY 1, 2`,
    // The lower median at 1 ms: the first millisecond where half the answers are reached.
    db.$queryRaw<HourlyMedian[]>`
      WITH h AS (
        SELECT bucket, region, rtt_ms, sum(answers) AS n FROM rtt_hourly
         WHERE prefix_id = ANY(${ids}::int4[]) AND bucket >= ${since} GROUP BY 1, 2, 3
      ), c AS (
        SELECT *, sum(n) OVER (PARTITION BY bucket, region ORDER BY rtt_ms) AS running,
                  sum(n) OVER (PARTITION BY bucket, region) AS total FROM h
      )
      SELECT bucket, region, min(rtt_ms)::int AS "medianMs" FROM c WHERE running * 2 >= total GROUP BY 1, 2`,
    db.pop.findMany({ select: { id: true, code: true } }),
    db.$queryRaw<{ total: number; probes: number }[]>`
      SELECT count(*)::int AS total, count(DISTINCT probe_id)::int AS probes
        FROM catchment_flip WHERE prefix_id = ANY(${ids}::int4[]) AND at >= now() - make_interval(hours => ${hours})`,
    db.$queryRaw<{ from_pop_id: number; to_pop_id: number; flips: number }[]>`
      SELECT from_pop_id, to_pop_id, count(*)::int AS flips
        FROM catchment_flip WHERE prefix_id = ANY(${ids}::int4[]) AND at >= now() - make_interval(hours => ${hours})
       GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ${LISTED}`,
    db.$queryRaw<{ probe_id: number; external_id: string; source: string; country: string | null; flips: number; last_at: Date; last_from: number; last_to: number }[]>`
      SELECT f.probe_id, p.external_id, p.source::text, trim(p.country) AS country, f.flips, f.last_at, f.last_from, f.last_to
        FROM (
          SELECT probe_id, count(*)::int AS flips, max(at) AS last_at,
                 (array_agg(from_pop_id ORDER BY at DESC))[1] AS last_from,
                 (array_agg(to_pop_id ORDER BY at DESC))[1] AS last_to
            FROM catchment_flip WHERE prefix_id = ANY(${ids}::int4[]) AND at >= now() - make_interval(hours => ${hours})
           GROUP BY probe_id ORDER BY flips DESC, last_at DESC LIMIT ${LISTED}
        ) f JOIN probe p ON p.id = f.probe_id
       ORDER BY f.flips DESC, f.last_at DESC`,
  ]);
  const code = new Map(pops.map((pop) => [pop.id, pop.code]));
  const codeOf = (id: number) => code.get(id) ?? `#${id}`;
  return {
    hours,
    shares: shareSeries(answers, codeOf),
    rtt: medianSeries(medians),
    flips: {
      total: flipTotals[0]?.total ?? 0,
      probes: flipTotals[0]?.probes ?? 0,
      transitions: transitions.map((t) => ({ fromCode: codeOf(t.from_pop_id), toCode: codeOf(t.to_pop_id), flips: t.flips })),
      probesList: flippers.map((f) => ({
        probeId: f.probe_id,
        externalId: f.external_id,
        source: f.source,
        country: f.country,
        flips: f.flips,
        lastAt: f.last_at.toISOString(),
        lastFrom: codeOf(f.last_from),
        lastTo: codeOf(f.last_to),
      })),
    },
  };
}
