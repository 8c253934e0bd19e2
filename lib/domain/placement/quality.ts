// Service quality for placement review (issue 16): how well the fleet serves its measured
// clients, by region, country and network. Pure: the measured catchment and the PoPs in,
// figures out.
//
// Path inflation, as Koch et al. (SIGCOMM 2021) measure it against the best the fleet could do:
// - extra distance: km to the PoP that served the probe, minus km to its nearest announcing PoP;
// - extra RTT over the fibre bound: the measured RTT minus the speed-of-light-in-fibre RTT to the
//   nearest announcing PoP (geo.ts). It counts both a far PoP and a long path to a near one.
import { distanceKm, minRttMs, type LatLon } from "../geo";
import { regionOfCountry, type Region } from "../regions";

export type QualityAnswer = {
  probeId: number;
  location: LatLon | null;
  country: string | null;
  asn: number | null;
  popId: number;
  rttMs: number | null;
};

export type QualityPop = { id: number; code: string; location: LatLon };

/** One located probe's inflation, for the map. */
export type ProbeInflation = { probeId: number; location: LatLon; popId: number; nearestPopId: number; extraKm: number; extraRttMs: number | null };

/** Figures for a group of probes (a region, a country, a network). */
export type QualityFigures = {
  probes: number;
  /** Probes with an RTT: the percentiles rest on these. */
  withRtt: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  /** Share of the located probes served by a PoP that is not their nearest announcing one. */
  notNearestShare: number | null;
  medianExtraKm: number | null;
  medianExtraRttMs: number | null;
};

export type GroupQuality<K extends string> = QualityFigures & { key: K };

export type ServiceQuality = {
  overall: QualityFigures;
  regions: GroupQuality<Region | "unknown">[];
  countries: GroupQuality<string>[];
  /** The worst served countries and networks, by p90 RTT, among those with enough probes. */
  worstCountries: GroupQuality<string>[];
  worstAsns: GroupQuality<string>[];
  probes: ProbeInflation[];
};

/** A country or network needs this many probes with an RTT to be ranked: one probe is an anecdote. */
export const MIN_PROBES_TO_RANK = 5;
export const WORST_LISTED = 20;

/**
 * The nearest-rank percentile (the smallest value with at least p of the values at or below
 * it): always a value that was measured. `sorted` ascending; null when empty.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 0.5);

type Row = { answer: QualityAnswer; inflation: ProbeInflation | null };

function figures(rows: readonly Row[]): QualityFigures {
  const rtts = rows.flatMap((row) => (row.answer.rttMs === null ? [] : [row.answer.rttMs])).sort((a, b) => a - b);
  const located = rows.flatMap((row) => (row.inflation ? [row.inflation] : []));
  const extraRtts = located.flatMap((probe) => (probe.extraRttMs === null ? [] : [probe.extraRttMs]));
  return {
    probes: rows.length,
    withRtt: rtts.length,
    p50Ms: percentile(rtts, 0.5),
    p90Ms: percentile(rtts, 0.9),
    p99Ms: percentile(rtts, 0.99),
    notNearestShare: located.length ? located.filter((probe) => probe.popId !== probe.nearestPopId).length / located.length : null,
    medianExtraKm: median(located.map((probe) => probe.extraKm)),
    medianExtraRttMs: median(extraRtts),
  };
}

function grouped<K extends string>(rows: readonly Row[], keyOf: (row: Row) => K | null): GroupQuality<K>[] {
  const groups = new Map<K, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const group = groups.get(key) ?? [];
    group.push(row);
    groups.set(key, group);
  }
  return [...groups].map(([key, group]) => ({ key, ...figures(group) })).sort((a, b) => b.probes - a.probes || a.key.localeCompare(b.key));
}

function worst<K extends string>(groups: readonly GroupQuality<K>[]): GroupQuality<K>[] {
  return groups
    .filter((group) => group.withRtt >= MIN_PROBES_TO_RANK)
    .sort((a, b) => b.p90Ms! - a.p90Ms! || b.withRtt - a.withRtt || a.key.localeCompare(b.key))
    .slice(0, WORST_LISTED);
}

/** The nearest announcing PoP of a location: a scan, as placement runs on a few hundred PoPs. */
function nearest(location: LatLon, pops: readonly QualityPop[]): { pop: QualityPop; km: number } | null {
  let best: { pop: QualityPop; km: number } | null = null;
  for (const pop of pops) {
    const km = distanceKm(location, pop.location);
    if (!best || km < best.km) best = { pop, km };
  }
  return best;
}

/**
 * Quality of the measured catchment of one prefix. `announcing`: the PoPs announcing it now
 * (a probe's nearest PoP is chosen among them). An answer from a PoP not in `pops`, or from a
 * probe without a location, counts in the RTT percentiles but not in the inflation figures.
 */
export function serviceQuality(answers: readonly QualityAnswer[], announcing: readonly QualityPop[]): ServiceQuality {
  const popById = new Map(announcing.map((pop) => [pop.id, pop]));
  const rows: Row[] = answers.map((answer) => {
    const served = popById.get(answer.popId);
    const best = answer.location ? nearest(answer.location, announcing) : null;
    if (!answer.location || !served || !best) return { answer, inflation: null };
    const servedKm = distanceKm(answer.location, served.location);
    return {
      answer,
      inflation: {
        probeId: answer.probeId,
        location: answer.location,
        popId: answer.popId,
        nearestPopId: best.pop.id,
        extraKm: Math.max(0, servedKm - best.km),
        extraRttMs: answer.rttMs === null ? null : answer.rttMs - minRttMs(best.km),
      },
    };
  });
  const countries = grouped(rows, (row) => row.answer.country);
  return {
    overall: figures(rows),
    regions: grouped(rows, (row) => (row.answer.country ? (regionOfCountry(row.answer.country) ?? "unknown") : "unknown")),
    countries,
    worstCountries: worst(countries),
    worstAsns: worst(grouped(rows, (row) => (row.answer.asn === null ? null : `AS${row.answer.asn}`))),
    probes: rows.flatMap((row) => (row.inflation ? [row.inflation] : [])),
  };
}
