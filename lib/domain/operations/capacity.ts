// The capacity estimate behind a drain preview: where the traffic of the probes that move
// would go. Each probe's answer carries an equal share of its PoP's current traffic, and
// moves to the nearest PoP still announcing the prefix undrained. An estimate: real BGP
// may send some probes elsewhere, and a drain keeps the probes behind the PoP's own upstream.
import { distanceKm } from "../geo";
import { regionOfCountry, type Region } from "../regions";
import type { AnnouncementSnapshot, PlannedStep } from "./plan";

export type CatchmentAnswer = { probeId: number; lat: number; lon: number; country: string | null; prefixId: number; popId: number };

export type PopLoad = { id: number; code: string; lat: number; lon: number; capacityBps: number; currentBps: number };

export type Receiver = { popId: number; code: string; currentBps: number; predictedBps: number; capacityBps: number; probes: number };

export type CapacityPrediction = {
  movedProbes: number;
  movedByRegion: { region: Region | "unknown"; probes: number }[];
  receivers: Receiver[];
  /** Answers that would find no PoP announcing the prefix at all. */
  stranded: number;
};

function nearest(answer: CatchmentAnswer, pops: PopLoad[]): PopLoad | null {
  let best: PopLoad | null = null;
  let bestKm = Infinity;
  for (const pop of pops) {
    const km = distanceKm(answer, pop);
    if (km < bestKm) {
      best = pop;
      bestKm = km;
    }
  }
  return best;
}

export function predictCapacity(
  steps: readonly PlannedStep[],
  after: readonly AnnouncementSnapshot[],
  catchment: readonly CatchmentAnswer[],
  pops: readonly PopLoad[],
): CapacityPrediction {
  const popById = new Map(pops.map((pop) => [pop.id, pop]));
  const answersPerPop = new Map<number, number>();
  for (const answer of catchment) answersPerPop.set(answer.popId, (answersPerPop.get(answer.popId) ?? 0) + 1);
  const bpsPerAnswer = (popId: number) => (popById.get(popId)?.currentBps ?? 0) / Math.max(1, answersPerPop.get(popId) ?? 0);

  const stateAfter = new Map(after.map((a) => [`${a.popId}:${a.prefixId}`, a.desiredState]));
  const popsAnnouncing = (prefixId: number, state: "announced" | "drained") =>
    pops.filter((pop) => stateAfter.get(`${pop.id}:${prefixId}`) === state);
  const lowered = new Set(steps.filter((s) => s.to !== "announced").map((s) => `${s.popId}:${s.prefixId}`));
  const restored = steps.filter((s) => s.to === "announced");

  const moved = new Map<number, { bps: number; probes: number }>();
  const regions = new Map<Region | "unknown", number>();
  let movedProbes = 0;
  let stranded = 0;
  const move = (answer: CatchmentAnswer, to: PopLoad) => {
    const entry = moved.get(to.id) ?? { bps: 0, probes: 0 };
    entry.bps += bpsPerAnswer(answer.popId);
    entry.probes += 1;
    moved.set(to.id, entry);
    movedProbes += 1;
    const region = (answer.country && regionOfCountry(answer.country)) || "unknown";
    regions.set(region, (regions.get(region) ?? 0) + 1);
  };

  for (const answer of catchment) {
    if (lowered.has(`${answer.popId}:${answer.prefixId}`)) {
      const candidates = popsAnnouncing(answer.prefixId, "announced");
      // With every PoP drained, prepends cancel out: the probe stays among the drained ones.
      const target = nearest(answer, candidates.length ? candidates : popsAnnouncing(answer.prefixId, "drained").filter((p) => p.id !== answer.popId));
      if (target) move(answer, target);
      else stranded += 1;
      continue;
    }
    for (const step of restored) {
      if (step.prefixId !== answer.prefixId || step.popId === answer.popId) continue;
      const back = popById.get(step.popId);
      const current = popById.get(answer.popId);
      if (back && current && distanceKm(answer, back) < distanceKm(answer, current)) move(answer, back);
    }
  }

  const receivers = [...moved.entries()]
    .map(([popId, entry]) => {
      const pop = popById.get(popId)!;
      return { popId, code: pop.code, currentBps: pop.currentBps, predictedBps: pop.currentBps + entry.bps, capacityBps: pop.capacityBps, probes: entry.probes };
    })
    .sort((a, b) => b.probes - a.probes);
  const movedByRegion = [...regions.entries()].map(([region, probes]) => ({ region, probes })).sort((a, b) => b.probes - a.probes);
  return { movedProbes, movedByRegion, receivers, stranded };
}
