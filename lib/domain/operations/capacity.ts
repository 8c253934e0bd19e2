// The capacity estimate behind a drain preview: where the traffic of the probes that move
// would go. Each probe's answer carries an equal share of its PoP's current traffic, and
// moves to the nearest PoP still announcing the prefix undrained. An estimate: real BGP
// may send some probes elsewhere, and a drain keeps the probes behind the PoP's own upstream.
// A probe without coordinates (a Verfploeter or MAnycastR client /24 that no geolocation file
// placed) is taken to stand at the PoP that catches it, and such probes come grouped, `probes`
// answers at a time, so a scan of a million /24s is a few thousand entries here.
import { distanceKm, type LatLon } from "../geo";
import { regionOfCountry, type Region } from "../regions";
import type { AnnouncementSnapshot, PlannedStep } from "./plan";

export type CatchmentAnswer = {
  /** Null for a group of unplaced probes. */
  probeId: number | null;
  lat: number | null;
  lon: number | null;
  country: string | null;
  prefixId: number;
  popId: number;
  /** How many answers this entry stands for (1 unless it is a group of unplaced probes). */
  probes?: number;
};

export type PopLoad = { id: number; code: string; lat: number; lon: number; capacityBps: number; currentBps: number };

export type Receiver = { popId: number; code: string; currentBps: number; predictedBps: number; capacityBps: number; probes: number };

export type CapacityPrediction = {
  movedProbes: number;
  movedByRegion: { region: Region | "unknown"; probes: number }[];
  receivers: Receiver[];
  /** Answers that would find no PoP announcing the prefix at all. */
  stranded: number;
};

function nearest(place: LatLon, pops: PopLoad[]): PopLoad | null {
  let best: PopLoad | null = null;
  let bestKm = Infinity;
  for (const pop of pops) {
    const km = distanceKm(place, pop);
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
  const weight = (answer: CatchmentAnswer) => answer.probes ?? 1;
  for (const answer of catchment) answersPerPop.set(answer.popId, (answersPerPop.get(answer.popId) ?? 0) + weight(answer));
  const placeOf = (answer: CatchmentAnswer): LatLon | null =>
    answer.lat !== null && answer.lon !== null ? { lat: answer.lat, lon: answer.lon } : (popById.get(answer.popId) ?? null);
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
    const count = weight(answer);
    const entry = moved.get(to.id) ?? { bps: 0, probes: 0 };
    entry.bps += bpsPerAnswer(answer.popId) * count;
    entry.probes += count;
    moved.set(to.id, entry);
    movedProbes += count;
    const region = (answer.country && regionOfCountry(answer.country)) || "unknown";
    regions.set(region, (regions.get(region) ?? 0) + count);
  };

  for (const answer of catchment) {
    const place = placeOf(answer);
    if (lowered.has(`${answer.popId}:${answer.prefixId}`)) {
      const candidates = popsAnnouncing(answer.prefixId, "announced");
      // With every PoP drained, prepends cancel out: the probe stays among the drained ones.
      const target = place && nearest(place, candidates.length ? candidates : popsAnnouncing(answer.prefixId, "drained").filter((p) => p.id !== answer.popId));
      if (target) move(answer, target);
      else stranded += weight(answer);
      continue;
    }
    for (const step of restored) {
      if (!place || step.prefixId !== answer.prefixId || step.popId === answer.popId) continue;
      const back = popById.get(step.popId);
      const current = popById.get(answer.popId);
      if (back && current && distanceKm(place, back) < distanceKm(place, current)) move(answer, back);
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
