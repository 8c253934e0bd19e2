// A placement scenario evaluated (issue 16): PoPs removed, candidate PoPs added, steady-state
// prepends, as the catchment model predicts them. The result is an estimate: where the probes
// would land (with the model's evidence), the RTT by region before and after, and the load per
// PoP against capacity.
import type { Id, PopRouting, Scenario } from "../catchment/model";
import { distanceKm, type LatLon } from "../geo";
import { predictWithModel, type CapacityModel, type PopLoad } from "../operations/capacity";
import type { EvidenceKind } from "../catchment/model";
import { regionOfCountry, type Region } from "../regions";
import { percentile } from "./quality";

export type CandidatePop = { id: number; name: string; location: LatLon; capacityBps: number; upstreamAsns: readonly number[] };

/** A scenario with PoP codes resolved: candidates carry negative ids, which no stored PoP has. */
export type ResolvedScenario = { removed: readonly number[]; prepends: ReadonlyMap<number, number>; candidates: readonly CandidatePop[] };

export type RegionRtt = { region: Region | "unknown"; probes: number; before: { p50Ms: number | null; p90Ms: number | null }; after: { p50Ms: number | null; p90Ms: number | null } };

export type PopLoadAfter = { popId: number; code: string; capacityBps: number; beforeBps: number; afterBps: number; candidate: boolean };

export type ScenarioResult = {
  /** Probe answers of the reviewed prefix that change PoP, and those left with none. */
  movedProbes: number;
  stranded: number;
  movedBy: Record<EvidenceKind, number>;
  regions: RegionRtt[];
  /** Over every prefix: each PoP's load at the peak before and after. */
  loads: PopLoadAfter[];
  /** The reviewed prefix's predicted catchment: the PoP each located probe would answer from. */
  catchment: { probeId: number; location: LatLon; popId: number | null }[];
};

/** A scenario's candidate PoPs as the capacity model takes them: no load yet. */
export function candidateLoads(scenario: ResolvedScenario): PopLoad[] {
  return scenario.candidates.map((pop) => ({ id: pop.id, code: pop.name, lat: pop.location.lat, lon: pop.location.lon, capacityBps: pop.capacityBps, currentBps: 0, upstreamAsns: pop.upstreamAsns }));
}

/** The model's scenario for one prefix: removed PoPs withdraw it, prepended PoPs drain it, candidates announce it. */
export function modelScenario(scenario: ResolvedScenario, announcing: ReadonlySet<number>): Scenario {
  const changes: PopRouting[] = [
    ...scenario.removed.filter((popId) => announcing.has(popId)).map((popId): PopRouting => ({ popId, state: "withdrawn" })),
    ...[...scenario.prepends].filter(([popId, prepends]) => announcing.has(popId) && prepends > 0).map(([popId, prepends]): PopRouting => ({ popId, state: "drained", prepends })),
  ];
  return { changes, added: scenario.candidates.map((pop) => ({ id: pop.id, location: pop.location, upstreamAsns: pop.upstreamAsns })) };
}

/**
 * `built`: the capacity model of every prefix (each PoP at the load to test). `reviewed`: the
 * prefix whose RTTs and catchment are shown. `announcing`: per prefix, the PoPs announcing it now.
 */
export function evaluateScenario(built: CapacityModel, scenario: ResolvedScenario, announcing: ReadonlyMap<number, ReadonlySet<number>>, reviewed: number): ScenarioResult {
  const candidates = candidateLoads(scenario);
  const scenarios = new Map([...built.prefixes.keys()].map((prefixId) => [prefixId, modelScenario(scenario, announcing.get(prefixId) ?? new Set())]));
  // Per probe only for the reviewed prefix: of the others, the loads need only the probes that move.
  const { capacity, predictions, leavingBps } = predictWithModel(built, scenarios, candidates, { store: new Set([reviewed]) });

  const prefix = built.prefixes.get(reviewed);
  const locationOf = new Map<Id, LatLon>([...built.popById.values(), ...candidates].map((pop) => [pop.id, { lat: pop.lat, lon: pop.lon }]));
  const rttsBefore = new Map<Region | "unknown", number[]>();
  const rttsAfter = new Map<Region | "unknown", number[]>();
  const catchment: ScenarioResult["catchment"] = [];
  let movedProbes = 0;
  let stranded = 0;
  const movedBy: Record<EvidenceKind, number> = { observed: 0, inferred: 0, fallback: 0 };
  // Placed probes only (a group of unplaced ones has no location to move): the loads below count all.
  const reviewedProbes = predictions.find((stored) => stored.prefixId === reviewed)?.probes ?? [];
  for (const [probeId, measuredPopId, popId, evidence] of reviewedProbes) {
    const answer = prefix!.byId.get(probeId)!;
    if (popId !== measuredPopId) {
      movedBy[evidence]++;
      if (popId === null) stranded++;
      else movedProbes++;
    }
    const location = answer.lat !== null && answer.lon !== null ? { lat: answer.lat, lon: answer.lon } : null;
    if (location) catchment.push({ probeId, location, popId });
    if (answer.rttMs === null || answer.rttMs === undefined) continue;
    const region = (answer.country && regionOfCountry(answer.country)) || "unknown";
    (rttsBefore.get(region) ?? rttsBefore.set(region, []).get(region)!).push(answer.rttMs);
    // A probe that stays keeps its measured RTT; one that moves gets the RTT the model's
    // calibration (RTT against distance, fitted on this prefix's answers) gives the new PoP.
    const target = popId === null ? undefined : locationOf.get(popId);
    const after = popId === measuredPopId ? answer.rttMs : target && location ? prefix!.model.calibration.interceptMs + prefix!.model.calibration.msPerKm * distanceKm(location, target) : null;
    if (after !== null) (rttsAfter.get(region) ?? rttsAfter.set(region, []).get(region)!).push(after);
  }
  const arriving = new Map(capacity.receivers.map((receiver) => [receiver.popId, receiver.predictedBps - receiver.currentBps]));
  const loads: PopLoadAfter[] = [...built.popById.values(), ...candidates].map((pop) => ({
    popId: pop.id,
    code: pop.code,
    capacityBps: pop.capacityBps,
    beforeBps: pop.currentBps,
    // Every PoP's load now, less what leaves it, plus what arrives.
    afterBps: Math.max(0, pop.currentBps - (leavingBps.get(pop.id) ?? 0) + (arriving.get(pop.id) ?? 0)),
    candidate: pop.id < 0,
  }));
  const figures = (values: number[] | undefined) => {
    const sorted = [...(values ?? [])].sort((a, b) => a - b);
    return { p50Ms: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
  };
  const regions: RegionRtt[] = [...rttsBefore.keys()]
    .sort()
    .map((region) => ({ region, probes: rttsBefore.get(region)!.length, before: figures(rttsBefore.get(region)), after: figures(rttsAfter.get(region)) }));
  return { movedProbes, stranded, movedBy, regions, loads, catchment };
}
