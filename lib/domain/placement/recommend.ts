// Recommendations for placement review (issue 16): where k new sites would help most, and which
// existing PoP costs least to remove. Pure; fast enough to rank 1,000 candidate cities.
//
// A candidate is judged the way the catchment model predicts a PoP it has never measured: a
// probe goes to it when the model's calibrated RTT to it is lower than to the PoP it answers
// from now (the calibration grows with distance, so: when the candidate is nearer), unless the
// probe sits in one of its PoP's upstream networks (a customer route keeps it there). A moved
// probe's RTT becomes the calibrated RTT to the candidate. scenario.test.ts checks this against
// the model's own prediction.
//
// Objectives, over the reviewed prefix's located probes with an RTT:
// - traffic-p90: the 90th percentile of RTT, each probe weighted by the traffic it stands for
//   (its PoP's load shared over that PoP's answers, as the capacity estimate shares it);
// - worst-region-p90: the p90 RTT of the worst region.
// For k > 1 the sites are chosen greedily, each the best given the ones before it: an optimal
// k-subset is exponential in k, and on anycast placement greedy comes within a few percent of
// it (AnyOpt, SIGCOMM 2021, figure 9). The top-10 list holds the first k - 1 picks with each of
// the ten best last picks.
import { EARTH_MEAN_RADIUS_KM, type LatLon } from "../geo";
import { regionOfCountry, REGIONS, type Region } from "../regions";
import type { CapacityModel } from "../operations/capacity";

export type Objective = "traffic-p90" | "worst-region-p90";
export type CandidatePlace = { name: string; country: string; lat: number; lon: number };

export type RecommendedSet = {
  sites: CandidatePlace[];
  /** The objective, now and with these sites, in ms. */
  before: number;
  after: number;
  gainMs: number;
  /** Regions whose p90 falls, most first. */
  regions: { region: Region | "unknown"; beforeMs: number; afterMs: number }[];
  movedProbes: number;
};

export type RemovalCost = { popId: number; code: string; before: number; after: number; costMs: number; movedProbes: number };

/** RTTs in bins of this width, up to the last bin: percentiles without a sort per candidate. */
const BIN_MS = 0.5;
const BINS = 4000;
const binOf = (rttMs: number) => Math.min(BINS - 1, Math.max(0, Math.floor(rttMs / BIN_MS)));

type Probe = { x: number; y: number; z: number; region: number; weight: number; rttMs: number; km: number; pinned: boolean; popId: number };

const REGION_KEYS: (Region | "unknown")[] = [...REGIONS, "unknown"];

function vectorOf({ lat, lon }: LatLon): [number, number, number] {
  const phi = (lat * Math.PI) / 180;
  const lambda = (lon * Math.PI) / 180;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

const kmBetween = (p: { x: number; y: number; z: number }, v: readonly number[]) => EARTH_MEAN_RADIUS_KM * Math.acos(Math.max(-1, Math.min(1, p.x * v[0]! + p.y * v[1]! + p.z * v[2]!)));

/** Weighted percentile of a histogram: the bin where the cumulative weight first reaches q of the total. */
function percentileOf(histogram: Float64Array, total: number, q: number): number {
  if (total <= 0) return 0;
  let cumulative = 0;
  for (let bin = 0; bin < BINS; bin++) {
    cumulative += histogram[bin]!;
    if (cumulative >= q * total) return (bin + 0.5) * BIN_MS;
  }
  return (BINS - 0.5) * BIN_MS;
}

/** The reviewed prefix's probes as the recommender reads them. */
function probesOf(built: CapacityModel, prefixId: number): Probe[] {
  const prefix = built.prefixes.get(prefixId);
  if (!prefix) throw new Error(`The capacity model was not built for prefix ${prefixId}.`);
  const probes: Probe[] = [];
  for (const answer of prefix.byId.values()) {
    if (answer.probeId === null || answer.lat === null || answer.lon === null || answer.rttMs === null || answer.rttMs === undefined) continue;
    const pop = built.popById.get(answer.popId);
    if (!pop) continue;
    const [x, y, z] = vectorOf({ lat: answer.lat, lon: answer.lon });
    const region = REGION_KEYS.indexOf((answer.country && regionOfCountry(answer.country)) || "unknown");
    const probe = { x, y, z, region, weight: built.bpsPerAnswer(answer.popId) || 1, rttMs: answer.rttMs, km: 0, pinned: false, popId: answer.popId };
    probe.km = kmBetween(probe, vectorOf({ lat: pop.lat, lon: pop.lon }));
    probe.pinned = answer.asn !== null && answer.asn !== undefined && (pop.upstreamAsns ?? []).includes(answer.asn);
    probes.push(probe);
  }
  return probes;
}

type State = { rtt: Float64Array; km: Float64Array };

/** Histograms of the current RTTs: weighted overall, and per region unweighted. */
function histogramsOf(probes: readonly Probe[], state: State) {
  const overall = new Float64Array(BINS);
  const regions = REGION_KEYS.map(() => new Float64Array(BINS));
  const regionTotals = REGION_KEYS.map(() => 0);
  let total = 0;
  probes.forEach((probe, i) => {
    const bin = binOf(state.rtt[i]!);
    overall[bin]! += probe.weight;
    total += probe.weight;
    regions[probe.region]![bin]! += 1;
    regionTotals[probe.region]! += 1;
  });
  return { overall, total, regions, regionTotals };
}

function objectiveOf(objective: Objective, h: ReturnType<typeof histogramsOf>): number {
  if (objective === "traffic-p90") return percentileOf(h.overall, h.total, 0.9);
  return Math.max(0, ...h.regions.map((histogram, r) => (h.regionTotals[r]! > 0 ? percentileOf(histogram, h.regionTotals[r]!, 0.9) : 0)));
}

export type RecommendOptions = { k: number; objective: Objective; top?: number };
export type Progress = { done: number; total: number };

/**
 * Ranks candidate places for `k` new sites (1 to 5) on the reviewed prefix. `onProgress` is
 * called as candidates are evaluated (done, total over the k rounds).
 */
export function recommendSites(
  built: CapacityModel,
  prefixId: number,
  candidates: readonly CandidatePlace[],
  { onProgress, ...options }: RecommendOptions & { onProgress?: (done: number, total: number) => void },
): RecommendedSet[] {
  const steps = recommendationSteps(built, prefixId, candidates, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value.done, step.value.total);
  }
}

/**
 * The same, one step at a time: it yields its progress every 50 candidates and returns the
 * ranking, so a server can send the progress to the browser while it computes.
 */
export function* recommendationSteps(
  built: CapacityModel,
  prefixId: number,
  candidates: readonly CandidatePlace[],
  { k, objective, top = 10 }: RecommendOptions,
): Generator<Progress, RecommendedSet[]> {
  if (!Number.isInteger(k) || k < 1 || k > 5) throw new Error(`k must be 1 to 5, not ${k}.`);
  const probes = probesOf(built, prefixId);
  const calibration = built.prefixes.get(prefixId)!.model.calibration;
  const rttAt = (km: number) => calibration.interceptMs + calibration.msPerKm * km;
  const vectors = candidates.map((place) => vectorOf(place));
  const state: State = { rtt: Float64Array.from(probes, (p) => p.rttMs), km: Float64Array.from(probes, (p) => p.km) };
  const base = histogramsOf(probes, state);
  const before = objectiveOf(objective, base);
  const chosen: number[] = [];
  const total = candidates.length * k;
  let done = 0;
  let last: { index: number; value: number }[] = [];

  for (let round = 0; round < k; round++) {
    const h = histogramsOf(probes, state);
    const scored: { index: number; value: number }[] = [];
    for (let c = 0; c < candidates.length; c++) {
      if (chosen.includes(c)) continue;
      // Move the probes this candidate would take, score, and move them back.
      const overall = h.overall;
      const regions = h.regions;
      const moved: [number, number, number][] = [];
      const v = vectors[c]!;
      for (let i = 0; i < probes.length; i++) {
        const probe = probes[i]!;
        if (probe.pinned) continue;
        const km = kmBetween(probe, v);
        if (km >= state.km[i]!) continue;
        const from = binOf(state.rtt[i]!);
        const to = binOf(rttAt(km));
        if (from === to) continue;
        overall[from]! -= probe.weight;
        overall[to]! += probe.weight;
        regions[probe.region]![from]! -= 1;
        regions[probe.region]![to]! += 1;
        moved.push([i, from, to]);
      }
      scored.push({ index: c, value: objectiveOf(objective, h) });
      for (const [i, from, to] of moved) {
        const probe = probes[i]!;
        overall[to]! -= probe.weight;
        overall[from]! += probe.weight;
        regions[probe.region]![to]! -= 1;
        regions[probe.region]![from]! += 1;
      }
      done++;
      if (done % 50 === 0) yield { done, total };
    }
    scored.sort((a, b) => a.value - b.value || a.index - b.index);
    last = scored;
    if (round === k - 1 || scored.length === 0) break;
    const best = scored[0]!.index;
    chosen.push(best);
    apply(best);
  }
  yield { done: total, total };

  function apply(c: number) {
    const v = vectors[c]!;
    probes.forEach((probe, i) => {
      if (probe.pinned) return;
      const km = kmBetween(probe, v);
      if (km >= state.km[i]!) return;
      state.km[i] = km;
      state.rtt[i] = rttAt(km);
    });
  }

  const snapshot: State = { rtt: Float64Array.from(state.rtt), km: Float64Array.from(state.km) };
  return last.slice(0, top).map(({ index, value }) => {
    state.rtt.set(snapshot.rtt);
    state.km.set(snapshot.km);
    apply(index);
    const after = histogramsOf(probes, state);
    const regions = REGION_KEYS.flatMap((region, r) => {
      if (base.regionTotals[r] === 0) return [];
      const beforeMs = percentileOf(base.regions[r]!, base.regionTotals[r]!, 0.9);
      const afterMs = percentileOf(after.regions[r]!, after.regionTotals[r]!, 0.9);
      return afterMs < beforeMs ? [{ region, beforeMs, afterMs }] : [];
    }).sort((a, b) => b.beforeMs - b.afterMs - (a.beforeMs - a.afterMs));
    const movedProbes = probes.filter((probe, i) => state.km[i] !== probe.km).length;
    return { sites: [...chosen, index].map((i) => candidates[i]!), before, after: value, gainMs: before - value, regions, movedProbes };
  });
}

/**
 * The reverse question: for each PoP announcing the reviewed prefix, the objective if it were
 * removed, by the catchment model's own prediction (a withdraw). Cheapest first.
 */
export function removalCosts(built: CapacityModel, prefixId: number, announcing: ReadonlySet<number>, objective: Objective): RemovalCost[] {
  const prefix = built.prefixes.get(prefixId);
  if (!prefix) throw new Error(`The capacity model was not built for prefix ${prefixId}.`);
  const probes = probesOf(built, prefixId);
  const indexOf = new Map<number, number>();
  let i = 0;
  for (const answer of prefix.byId.values()) {
    if (answer.probeId === null || answer.lat === null || answer.lon === null || answer.rttMs === null || answer.rttMs === undefined || !built.popById.has(answer.popId)) continue;
    indexOf.set(answer.probeId, i++);
  }
  const state: State = { rtt: Float64Array.from(probes, (p) => p.rttMs), km: Float64Array.from(probes, (p) => p.km) };
  const before = objectiveOf(objective, histogramsOf(probes, state));
  const costs: RemovalCost[] = [];
  for (const popId of announcing) {
    const pop = built.popById.get(popId);
    if (!pop) continue;
    const prediction = prefix.model.predict({ changes: [{ popId, state: "withdrawn" }] }, { movedOnly: true });
    const rtt = Float64Array.from(state.rtt);
    let movedProbes = 0;
    for (const probe of prediction.probes) {
      const index = indexOf.get(probe.probeId as number);
      if (index === undefined) continue;
      movedProbes++;
      // A probe left with no PoP counts at the last bin: as bad as it gets.
      rtt[index] = probe.popId === null ? BINS * BIN_MS : (prefix.model.predictedRttMs(probe.probeId, probe.popId) ?? BINS * BIN_MS);
    }
    const after = objectiveOf(objective, histogramsOf(probes, { rtt, km: state.km }));
    costs.push({ popId, code: pop.code, before, after, costMs: after - before, movedProbes });
  }
  return costs.sort((a, b) => a.costMs - b.costMs || a.code.localeCompare(b.code));
}
