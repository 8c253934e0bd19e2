// The capacity estimate behind a drain preview: where the traffic of the probes that move
// would go. Each probe's answer carries an equal share of its PoP's current traffic; where it
// goes is the catchment model's prediction (lib/domain/catchment/model.ts), made per prefix
// from the measured catchment, probe and PoP facts and the operations run before.
// A probe without coordinates (a Verfploeter or MAnycastR client /24 that no geolocation file
// placed) is taken to stand at the PoP that catches it, and such probes come grouped, `probes`
// answers at a time, so a scan of a million /24s is a few thousand entries here.
import { routingOf, scenarioOf } from "../catchment/console-state";
import { storePrediction, type StoredPrediction } from "../catchment/accuracy";
import { buildCatchmentModel, type CatchmentModel, type EvidenceKind, type MeasuredAnswer, type PastOperation, type ProbeFacts, type Scenario } from "../catchment/model";
import { regionOfCountry, type Region } from "../regions";
import type { AnnouncementSnapshot, PlannedStep } from "./plan";

export type CatchmentAnswer = {
  /** Null for a group of unplaced probes. */
  probeId: number | null;
  lat: number | null;
  lon: number | null;
  country: string | null;
  /** The probe's network for the prefix's address family; null when unknown or for a group. */
  asn?: number | null;
  prefixId: number;
  popId: number;
  rttMs?: number | null;
  measuredAt?: Date;
  /** How many answers this entry stands for (1 unless it is a group of unplaced probes). */
  probes?: number;
};

export type PopLoad = { id: number; code: string; lat: number; lon: number; capacityBps: number; currentBps: number; upstreamAsns?: readonly number[] };

export type Receiver = { popId: number; code: string; currentBps: number; predictedBps: number; capacityBps: number; probes: number };

export type CapacityPrediction = {
  movedProbes: number;
  movedByRegion: { region: Region | "unknown"; probes: number }[];
  receivers: Receiver[];
  /** Answers that would find no PoP announcing the prefix at all. */
  stranded: number;
  /** The moving answers by the evidence their prediction rests on. */
  movedBy: Record<EvidenceKind, number>;
};

export const NO_MOVE: CapacityPrediction = { movedProbes: 0, movedByRegion: [], receivers: [], stranded: 0, movedBy: { observed: 0, inferred: 0, fallback: 0 } };

/** One prefix's model, built once, and its answers by the ids the model knows them by. */
type PrefixModel = { model: CatchmentModel; byId: Map<number, CatchmentAnswer> };

/**
 * The catchment model of each prefix with what the capacity estimate needs around it, built
 * once: a preview evaluates one scenario on it, placement's N-1 review one per PoP.
 */
export type CapacityModel = { prefixes: Map<number, PrefixModel>; popById: Map<number, PopLoad>; bpsPerAnswer: (popId: number) => number };

/** How many probes an answer stands for: one, or a group of unplaced ones. */
export const weight = (answer: CatchmentAnswer) => answer.probes ?? 1;

/**
 * `before`: every PoP's announcement of these prefixes, as now. `history`: per prefix, the
 * operations run on it before, with what the probes answered either side.
 */
export function buildCapacityModel(
  prefixIds: readonly number[],
  before: readonly AnnouncementSnapshot[],
  catchment: readonly CatchmentAnswer[],
  pops: readonly PopLoad[],
  history: ReadonlyMap<number, readonly PastOperation[]> = new Map(),
): CapacityModel {
  const popById = new Map(pops.map((pop) => [pop.id, pop]));
  const answersPerPop = new Map<number, number>();
  for (const answer of catchment) answersPerPop.set(answer.popId, (answersPerPop.get(answer.popId) ?? 0) + weight(answer));
  const bpsPerAnswer = (popId: number) => (popById.get(popId)?.currentBps ?? 0) / Math.max(1, answersPerPop.get(popId) ?? 0);
  const popFacts = pops.map((pop) => ({ id: pop.id, location: { lat: pop.lat, lon: pop.lon }, upstreamAsns: pop.upstreamAsns ?? [] }));
  const prefixes = new Map<number, PrefixModel>();
  for (const prefixId of new Set(prefixIds)) {
    // Placed probes by their id; a group of unplaced ones by a negative index, standing at its PoP.
    const answers = catchment.filter((answer) => answer.prefixId === prefixId && popById.has(answer.popId));
    const idOf = (answer: CatchmentAnswer, index: number) => answer.probeId ?? -(index + 1);
    const probes: ProbeFacts[] = answers.map((answer, index) => {
      const pop = popById.get(answer.popId)!;
      const location = answer.lat !== null && answer.lon !== null ? { lat: answer.lat, lon: answer.lon } : { lat: pop.lat, lon: pop.lon };
      return { id: idOf(answer, index), location, asn: answer.asn ?? null };
    });
    const measured: MeasuredAnswer[] = answers.map((answer, index) => ({ probeId: idOf(answer, index), popId: answer.popId, rttMs: answer.rttMs ?? null, at: answer.measuredAt ?? new Date(0) }));
    const model = buildCatchmentModel({ probes, pops: popFacts, current: routingOf(before, prefixId), measured, history: history.get(prefixId) ?? [] });
    prefixes.set(prefixId, { model, byId: new Map(answers.map((answer, index) => [idOf(answer, index), answer])) });
  }
  return { prefixes, popById, bpsPerAnswer };
}

/**
 * Where the traffic goes under a scenario per prefix (prefixes without one keep their
 * catchment). `candidates`: PoPs the scenarios add (their `added`), which start with no load.
 * `store`: the prefixes to keep a per-probe record of in `predictions` (every one by default);
 * `false` for none, for reviews of many scenarios. The others only walk the probes that move.
 */
export function predictWithModel(
  built: CapacityModel,
  scenarios: ReadonlyMap<number, Scenario>,
  candidates: readonly PopLoad[] = [],
  { store = true }: { store?: boolean | ReadonlySet<number> } = {},
): { capacity: CapacityPrediction; predictions: StoredPrediction[]; leavingBps: Map<number, number> } {
  const { bpsPerAnswer } = built;
  const popById = candidates.length ? new Map([...built.popById, ...candidates.map((pop) => [pop.id, pop] as const)]) : built.popById;
  const moved = new Map<number, { bps: number; probes: number }>();
  /** The load each PoP loses, for a caller that shows loads after the change. */
  const leavingBps = new Map<number, number>();
  const regions = new Map<Region | "unknown", number>();
  const movedBy: Record<EvidenceKind, number> = { observed: 0, inferred: 0, fallback: 0 };
  let movedProbes = 0;
  let stranded = 0;
  const predictions: StoredPrediction[] = [];

  for (const [prefixId, scenario] of scenarios) {
    const prefix = built.prefixes.get(prefixId);
    if (!prefix) throw new Error(`The capacity model was not built for prefix ${prefixId}.`);
    // Without a record to store (a review of many scenarios), only the probes that move.
    const stored = typeof store === "boolean" ? store : store.has(prefixId);
    const prediction = prefix.model.predict(scenario, { movedOnly: !stored });
    if (stored) {
      // Placed probes only: a group of unplaced ones has no probe to check against later.
      const placed = prediction.probes.filter((probe) => (probe.probeId as number) >= 0);
      predictions.push(storePrediction(prefixId, (scenario.changes ?? []).map((change) => change.popId as number), placed));
    }
    for (const probe of prediction.probes) {
      if (probe.popId === probe.measuredPopId) continue;
      const answer = prefix.byId.get(probe.probeId as number)!;
      const count = weight(answer);
      movedBy[probe.evidence] += count;
      leavingBps.set(answer.popId, (leavingBps.get(answer.popId) ?? 0) + bpsPerAnswer(answer.popId) * count);
      if (probe.popId === null) {
        stranded += count;
        continue;
      }
      const entry = moved.get(probe.popId as number) ?? { bps: 0, probes: 0 };
      entry.bps += bpsPerAnswer(answer.popId) * count;
      entry.probes += count;
      moved.set(probe.popId as number, entry);
      movedProbes += count;
      const region = (answer.country && regionOfCountry(answer.country)) || "unknown";
      regions.set(region, (regions.get(region) ?? 0) + count);
    }
  }

  const receivers = [...moved.entries()]
    .map(([popId, entry]) => {
      const pop = popById.get(popId)!;
      return { popId, code: pop.code, currentBps: pop.currentBps, predictedBps: pop.currentBps + entry.bps, capacityBps: pop.capacityBps, probes: entry.probes };
    })
    .sort((a, b) => b.probes - a.probes);
  const movedByRegion = [...regions.entries()].map(([region, probes]) => ({ region, probes })).sort((a, b) => b.probes - a.probes);
  return { capacity: { movedProbes, movedByRegion, receivers, stranded, movedBy }, predictions, leavingBps };
}

/** The capacity estimate of an operation's plan: the model of each prefix it touches, and its steps as the scenario. */
export function predictCapacity(
  steps: readonly PlannedStep[],
  before: readonly AnnouncementSnapshot[],
  catchment: readonly CatchmentAnswer[],
  pops: readonly PopLoad[],
  history: ReadonlyMap<number, readonly PastOperation[]> = new Map(),
): { capacity: CapacityPrediction; predictions: StoredPrediction[] } {
  const prefixIds = [...new Set(steps.map((step) => step.prefixId))];
  const built = buildCapacityModel(prefixIds, before, catchment, pops, history);
  const { capacity, predictions } = predictWithModel(built, new Map(prefixIds.map((prefixId) => [prefixId, scenarioOf(steps, prefixId)])));
  return { capacity, predictions };
}
