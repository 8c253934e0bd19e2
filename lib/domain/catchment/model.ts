// The catchment model: where each probe lands under a hypothetical announcement state, and why.
// Pure and deterministic; it learns only from what the fleet measured (answers, their RTTs, the
// operations it ran) and from probe and PoP metadata, never from a simulator.
//
// One model covers one prefix (or one service announced the same way everywhere): each prefix's
// announcements form their own routing. For each probe of the measured catchment, in this order:
// 1. Unaffected: nothing made its PoP less attractive and no PoP became more attractive than it,
//    so the probe stays where it was measured. This is what makes withdraws accurate.
// 2. Observed: under an equivalent state recorded before (every changed PoP in the same state,
//    e.g. the last time this PoP was drained) the probe landed on a PoP that is in the same state
//    now: it lands there again. The most recent such observation wins.
// 3. Inferred, from topology: a probe in one of its PoP's upstream ASNs stays through a drain
//    (a customer route beats a shorter path); a probe in a candidate PoP's upstream ASN goes
//    there; otherwise, probes of the same ASN that sat on the same PoP were observed going to
//    one PoP under an equivalent state: it follows the majority of them. Failing that, from the
//    measured catchment: a probe leaving its PoP goes where most of its nearest neighbours (the 5
//    nearest within 500 km) that already sit on a candidate PoP go. Nearby networks share
//    upstreams: on the F, I and K root catchments a probe's neighbours named its site 53 to 63 %
//    of the time, against 31 to 38 % for the nearest site.
// 4. Fallback: BGP prefers the shortest AS path first, so the probe goes to the candidates with
//    the fewest prepends, and among them to the one with the lowest RTT predicted by a fit of the
//    RTTs the probes actually measured against their distance (see calibrateRtt).
import { EARTH_MEAN_RADIUS_KM, FIBER_KM_PER_MS_ONE_WAY, type LatLon } from "../geo";

/** PoP and probe ids: the console's database ids, or codes and external ids in the CLI. Use one kind. */
export type Id = number | string;

export type ProbeFacts = { id: Id; location: LatLon | null; asn: number | null };

export type PopFacts = { id: Id; location: LatLon; upstreamAsns: readonly number[] };

/** How one PoP announces the prefix. A PoP missing from a state does not announce it. */
export type PopRouting = { popId: Id; state: "announced" | "drained" | "withdrawn"; prepends?: number };

/** The latest answer of one probe: the PoP it reached, with the RTT if measured. */
export type MeasuredAnswer = { probeId: Id; popId: Id; rttMs: number | null; at: Date };

/** A past operation as an experiment: the announcement state and what the probes answered, either side. */
export type PastOperation = {
  at: Date;
  before: readonly PopRouting[];
  after: readonly PopRouting[];
  answersBefore: readonly MeasuredAnswer[];
  answersAfter: readonly MeasuredAnswer[];
};

export type ModelInput = {
  probes: readonly ProbeFacts[];
  pops: readonly PopFacts[];
  /** The state the measured catchment was taken under. */
  current: readonly PopRouting[];
  /** The latest answer per probe, taken under `current`. */
  measured: readonly MeasuredAnswer[];
  history: readonly PastOperation[];
};

/** A hypothetical state, as changes to the current one: PoPs drained, withdrawn, restored, or added. */
export type Scenario = { changes?: readonly PopRouting[]; added?: readonly PopFacts[] };

export type EvidenceKind = "observed" | "inferred" | "fallback";

export type Reason =
  | "unaffected" // its PoP is not made less attractive and none beats it now
  | "replayed" // landed there under an equivalent state before
  | "upstream-stays" // in an upstream ASN of its own PoP, which still announces
  | "upstream-customer" // in an upstream ASN of the PoP it goes to
  | "same-asn" // probes of its ASN on the same PoP went there under an equivalent state
  | "neighbours" // most of its nearest probes on a candidate PoP are measured there
  | "prepends-tie" // its own PoP still has as few prepends as any other
  | "no-route" // no PoP announces the prefix any more
  | "calibrated-rtt" // the lowest predicted RTT among the candidates
  | "largest-catchment"; // no location: the candidate serving the most probes today

export const EVIDENCE_OF: Record<Reason, EvidenceKind> = {
  unaffected: "observed",
  replayed: "observed",
  "upstream-stays": "inferred",
  "upstream-customer": "inferred",
  "same-asn": "inferred",
  neighbours: "inferred",
  "prepends-tie": "inferred",
  "no-route": "inferred",
  "calibrated-rtt": "fallback",
  "largest-catchment": "fallback",
};

export type ProbePrediction = {
  probeId: Id;
  /** Where it was measured. */
  measuredPopId: Id;
  /** Where it lands; null when no PoP announces the prefix. */
  popId: Id | null;
  evidence: EvidenceKind;
  reason: Reason;
};

export type PopShare = { popId: Id; probes: number; share: number };

export type PredictionSummary = {
  probes: number;
  before: PopShare[];
  after: PopShare[];
  /** Probes that land on another PoP than measured (stranded ones included). */
  moved: number;
  movedBy: Record<EvidenceKind, number>;
  stranded: number;
};

export type Prediction = { probes: ProbePrediction[]; summary: PredictionSummary };

/** predicted RTT (ms) = interceptMs + msPerKm x great-circle km. */
export type RttCalibration = { interceptMs: number; msPerKm: number; samples: number };

/** Round trip per km of great circle at the speed of light in fibre: no RTT can grow slower. */
const FIBRE_FLOOR_MS_PER_KM = 2 / FIBER_KM_PER_MS_ONE_WAY;
/**
 * Without enough measured RTTs: real paths are 1.5 to 3 times longer than the great circle, and
 * an access network adds some milliseconds whatever the distance.
 */
export const DEFAULT_CALIBRATION = { interceptMs: 5, msPerKm: 2 * FIBRE_FLOOR_MS_PER_KM };
const BIN_KM = 250;
/**
 * Observations more than this many recorded states back are not replayed: routing drifts, and
 * a restore would otherwise match every state recorded since the PoP first announced.
 */
export const MAX_REPLAYED_STATES = 16;
/** How many of a probe's nearest neighbours vote, and how far they may be. */
export const NEIGHBOURS = 5;
export const NEIGHBOUR_MAX_KM = 500;
/** Probes asked whether neighbours or distance predict their PoP better (see checkLocality). */
export const LOCALITY_SAMPLE = 2000;
/** Grid cells of this size in unit-vector space (about 130 km), to find neighbours without a scan of every probe. */
const CELL = 0.02;

type Vector = [number, number, number];

/** A stable order for ids, so ties break the same way on every run. */
function compareIds(a: Id, b: Id): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function unitVector({ lat, lon }: LatLon): Vector {
  const phi = (lat * Math.PI) / 180;
  const lambda = (lon * Math.PI) / 180;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

function dot(a: Vector, b: Vector): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Great-circle km between unit vectors, from their dot product: cheaper than a haversine at 15,000 probes x 300 PoPs. */
function kmOfDot(dot: number): number {
  return EARTH_MEAN_RADIUS_KM * Math.acos(Math.max(-1, Math.min(1, dot)));
}

function vectorKm(a: Vector, b: Vector): number {
  return kmOfDot(dot(a, b));
}

/**
 * A PoP whose dot product with the probe is this much below the nearest one's so far is
 * farther for certain (acos errs by under an ulp; this gap is thousands of ulps of the km),
 * so a search for the nearest skips its acos; the others are compared on km as before.
 */
const SURELY_FARTHER = 1e-9;

function median(values: readonly number[]): number {
  // A typed array sorts numbers without a comparator call per step: calibration sorts every answer's km and RTT.
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Fits RTT against distance on the measured answers. Single RTTs are noisy and path inflation
 * is heavy-tailed, so the line goes through the median distance and RTT of each 250 km band,
 * weighted by its answers; it is kept at least as steep as the fibre floor and above zero at
 * zero km. No per-PoP offset: a PoP's residuals say which probes its routing attracted (far ones
 * over inflated paths), not how fast it is, and on the F, I and K root catchments ranking with
 * them matched the measured sites less often than distance alone did.
 */
export function calibrateRtt(samples: readonly { km: number; rttMs: number }[]): RttCalibration {
  const bins = new Map<number, { km: number[]; rtts: number[] }>();
  for (const sample of samples) {
    const bin = Math.floor(sample.km / BIN_KM);
    const entry = bins.get(bin) ?? { km: [], rtts: [] };
    entry.km.push(sample.km);
    entry.rtts.push(sample.rttMs);
    bins.set(bin, entry);
  }
  let { interceptMs, msPerKm } = DEFAULT_CALIBRATION;
  if (bins.size >= 2) {
    let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const [, { km, rtts }] of [...bins].sort((a, b) => a[0] - b[0])) {
      const w = rtts.length;
      const x = median(km);
      const y = median(rtts);
      sw += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y;
    }
    const denominator = sw * sxx - sx * sx;
    if (denominator > 0) {
      msPerKm = Math.max(FIBRE_FLOOR_MS_PER_KM, (sw * sxy - sx * sy) / denominator);
      interceptMs = Math.max(0, (sy - msPerKm * sx) / sw);
    }
  }
  return { interceptMs, msPerKm, samples: samples.length };
}

/** Prepends as a rank: fewer is more attractive; a PoP that does not announce is out of reach. */
function rankOf(routing: PopRouting | undefined): number {
  if (!routing || routing.state === "withdrawn") return Infinity;
  return routing.state === "drained" ? Math.max(1, routing.prepends ?? 1) : 0;
}

function stateKey(routing: PopRouting | undefined): string {
  const rank = rankOf(routing);
  return rank === Infinity ? "withdrawn" : String(rank);
}

type RecordedState = { at: number; order: number; states: Map<Id, string>; answers: () => Map<Id, Id> };

/** Each probe's latest answer; of two at the same time, the one to the lower PoP id, whatever the input order. */
function latestAnswers(answers: readonly MeasuredAnswer[]): Map<Id, MeasuredAnswer> {
  const latest = new Map<Id, MeasuredAnswer>();
  for (const answer of answers) {
    const seen = latest.get(answer.probeId);
    const later = seen ? answer.at.getTime() - seen.at.getTime() || compareIds(seen.popId, answer.popId) : 1;
    if (later > 0) latest.set(answer.probeId, answer);
  }
  return latest;
}

function latestPops(answers: readonly MeasuredAnswer[]): Map<Id, Id> {
  return new Map([...latestAnswers(answers)].map(([probeId, answer]) => [probeId, answer.popId]));
}

/** How often, on a sample of the measured catchment, a probe's neighbours and its lowest calibrated RTT named its PoP. */
export type Locality = { sampled: number; neighbours: number; rtt: number; trustNeighbours: boolean };

export type CatchmentModel = {
  calibration: RttCalibration;
  locality: Locality;
  /** The RTT the calibration predicts from a probe to a PoP, or null without both locations. */
  predictedRttMs(probeId: Id, popId: Id): number | null;
  /**
   * `movedOnly`: only the probes predicted to change PoP (and its summary over those): what a
   * review of many scenarios needs, without a record of every probe for each. `probes`: decide
   * only these (each one, moved or not), for a caller that knows which can move.
   */
  predict(scenario: Scenario, options?: { movedOnly?: boolean; probes?: Iterable<Id> }): Prediction;
};

/** Builds the model once (calibration, indexes); each `predict` is then one pass over the probes. */
export function buildCatchmentModel(input: ModelInput): CatchmentModel {
  const probes = new Map(input.probes.map((probe) => [probe.id, { id: probe.id, location: probe.location, asn: probe.asn, vector: probe.location ? unitVector(probe.location) : null }]));
  const basePops = new Map(input.pops.map((pop) => [pop.id, { ...pop, vector: unitVector(pop.location), upstreams: new Set(pop.upstreamAsns) }]));
  const current = new Map(input.current.map((routing) => [routing.popId, routing]));
  const latest = latestAnswers(input.measured);
  // In probe order, sorted once: every prediction walks them (or those of the PoPs it changes).
  const latestInOrder = [...latest.values()].sort((a, b) => compareIds(a.probeId, b.probeId));
  const latestByPop = new Map<Id, MeasuredAnswer[]>();
  for (const answer of latestInOrder) (latestByPop.get(answer.popId) ?? latestByPop.set(answer.popId, []).get(answer.popId)!).push(answer);

  const samples: { km: number; rttMs: number }[] = [];
  const probesPerPop = new Map<Id, number>();
  for (const answer of latest.values()) {
    probesPerPop.set(answer.popId, (probesPerPop.get(answer.popId) ?? 0) + 1);
    const probe = probes.get(answer.probeId);
    const pop = basePops.get(answer.popId);
    if (answer.rttMs !== null && probe?.vector && pop) samples.push({ km: vectorKm(probe.vector, pop.vector), rttMs: answer.rttMs });
  }
  const calibration = calibrateRtt(samples);

  // Located probes by grid cell, with the PoP each was measured on as an index (PoPs in id order,
  // so ties between equally near neighbours break the same way whatever the input order).
  const popIds = [...basePops.keys()].sort(compareIds);
  const popIndex = new Map(popIds.map((id, index) => [id, index]));
  const grid = new Map<number, { x: number; y: number; z: number; pop: number; probe: Id }[]>();
  const cellOf = (v: number) => Math.floor(v / CELL);
  const CELLS = Math.ceil(2 / CELL) + 2;
  const cellKey = (x: number, y: number, z: number) => ((x + CELLS) * 2 * CELLS + (y + CELLS)) * 2 * CELLS + (z + CELLS);
  for (const answer of latest.values()) {
    const vector = probes.get(answer.probeId)?.vector;
    const pop = popIndex.get(answer.popId);
    if (!vector || pop === undefined) continue;
    const key = cellKey(cellOf(vector[0]), cellOf(vector[1]), cellOf(vector[2]));
    const cell = grid.get(key) ?? [];
    cell.push({ x: vector[0], y: vector[1], z: vector[2], pop, probe: answer.probeId });
    grid.set(key, cell);
  }
  const maxChordSquared = (2 * Math.sin(NEIGHBOUR_MAX_KM / EARTH_MEAN_RADIUS_KM / 2)) ** 2;
  const maxRing = Math.ceil(Math.sqrt(maxChordSquared) / CELL);
  /** The PoP most of the probe's nearest neighbours on an `allowed` PoP are measured on; ties go to the nearest voter's. */
  const neighbourVote = (vector: Vector, allowed: Uint8Array, self?: Id): Id | null => {
    const [cx, cy, cz] = [cellOf(vector[0]), cellOf(vector[1]), cellOf(vector[2])];
    // The K nearest so far, nearest first: a bounded insertion, as dense areas hold thousands.
    const distances: number[] = [];
    const pops: number[] = [];
    for (let ring = 0; ring <= maxRing; ring++) {
      // A probe not seen yet is at least (ring - 1) cells away on some axis: stop once K nearer are found.
      if (distances.length === NEIGHBOURS && distances[NEIGHBOURS - 1]! <= (ring - 1) ** 2 * CELL * CELL) break;
      for (let dx = -ring; dx <= ring; dx++)
        for (let dy = -ring; dy <= ring; dy++)
          for (let dz = -ring; dz <= ring; dz++) {
            if (Math.max(Math.abs(dx), Math.abs(dy), Math.abs(dz)) !== ring) continue;
            const cell = grid.get(cellKey(cx + dx, cy + dy, cz + dz));
            if (!cell) continue;
            for (const other of cell) {
              if (!allowed[other.pop] || other.probe === self) continue;
              const d = (other.x - vector[0]) ** 2 + (other.y - vector[1]) ** 2 + (other.z - vector[2]) ** 2;
              if (d > maxChordSquared) continue;
              const last = distances.length - 1;
              if (distances.length === NEIGHBOURS && (d > distances[last]! || (d === distances[last] && other.pop >= pops[last]!))) continue;
              let at = distances.length === NEIGHBOURS ? last : distances.length;
              while (at > 0 && (distances[at - 1]! > d || (distances[at - 1] === d && pops[at - 1]! > other.pop))) {
                distances[at] = distances[at - 1]!;
                pops[at] = pops[at - 1]!;
                at--;
              }
              distances[at] = d;
              pops[at] = other.pop;
            }
          }
    }
    if (pops.length === 0) return null;
    const votes = new Map<number, number>();
    for (const pop of pops) votes.set(pop, (votes.get(pop) ?? 0) + 1);
    const most = Math.max(...votes.values());
    return popIds[pops.find((pop) => votes.get(pop) === most)!]!;
  };

  // Each side of each past operation is one recorded state, most recent first.
  const recorded: RecordedState[] = [];
  input.history.forEach((operation, index) => {
    const sides = [
      { at: operation.at.getTime() - 1, states: operation.before, answers: operation.answersBefore },
      { at: operation.at.getTime(), states: operation.after, answers: operation.answersAfter },
    ];
    sides.forEach((side, k) => {
      // Indexed on first use: a prediction replays a few recent states, not the whole history.
      let answers: Map<Id, Id> | null = null;
      recorded.push({ at: side.at, order: index * 2 + k, states: new Map(side.states.map((r) => [r.popId, stateKey(r)])), answers: () => (answers ??= latestPops(side.answers)) });
    });
  });
  recorded.sort((a, b) => b.at - a.at || b.order - a.order);

  const rttTo = (probeVector: Vector | null, pop: { vector: Vector }): number | null =>
    probeVector ? calibration.interceptMs + calibration.msPerKm * vectorKm(probeVector, pop.vector) : null;

  const locality = checkLocality();
  /**
   * Which says more about where a probe goes, its neighbours or its distance? Asked of the
   * measured catchment itself: for a sample of located probes, does a vote of the probes near
   * each, or the lowest calibrated RTT among the PoPs announcing best now, name the PoP it was
   * measured on? On the F, I and K root catchments the neighbours do (53 to 63 %, against 31 to
   * 38 % for distance); where routing follows distance closely, distance does, and a vote would
   * only repeat the few probes routed past their nearest PoP.
   */
  function checkLocality(): Locality {
    const bestNow = Math.min(...popIds.map((id) => rankOf(current.get(id))));
    const leadersNow = popIds.filter((id) => rankOf(current.get(id)) === bestNow).map((id) => basePops.get(id)!);
    // Their unit vectors side by side: the nearest leader is sought for each sampled probe.
    const leaderVectors = Float64Array.from(leadersNow.flatMap((pop) => pop.vector));
    const every = new Uint8Array(popIds.length).fill(1);
    const located = latestInOrder.filter((answer) => probes.get(answer.probeId)?.vector && popIndex.has(answer.popId));
    const step = Math.max(1, Math.ceil(located.length / LOCALITY_SAMPLE));
    let sampled = 0, byNeighbours = 0, byRtt = 0;
    for (let i = 0; i < located.length && leadersNow.length; i += step) {
      const answer = located[i]!;
      const vector = probes.get(answer.probeId)!.vector!;
      sampled++;
      if (neighbourVote(vector, every, answer.probeId) === answer.popId) byNeighbours++;
      const [x, y, z] = vector;
      let best = 0;
      let bestDot = x * leaderVectors[0]! + y * leaderVectors[1]! + z * leaderVectors[2]!;
      let bestKm = kmOfDot(bestDot);
      for (let leader = 1; leader < leadersNow.length; leader++) {
        const d = x * leaderVectors[3 * leader]! + y * leaderVectors[3 * leader + 1]! + z * leaderVectors[3 * leader + 2]!;
        if (d < bestDot - SURELY_FARTHER) continue;
        const km = kmOfDot(d);
        if (km < bestKm) [best, bestKm, bestDot] = [leader, km, d];
      }
      if (leadersNow[best]!.id === answer.popId) byRtt++;
    }
    return { sampled, neighbours: sampled ? byNeighbours / sampled : 0, rtt: sampled ? byRtt / sampled : 0, trustNeighbours: byNeighbours > byRtt };
  }

  function predict(scenario: Scenario, { movedOnly = false, probes: only }: { movedOnly?: boolean; probes?: Iterable<Id> } = {}): Prediction {
    const pops = new Map(basePops);
    for (const pop of scenario.added ?? []) pops.set(pop.id, { ...pop, vector: unitVector(pop.location), upstreams: new Set(pop.upstreamAsns) });
    const after = new Map(current);
    for (const pop of scenario.added ?? []) after.set(pop.id, { popId: pop.id, state: "announced" });
    for (const change of scenario.changes ?? []) {
      if (!pops.has(change.popId)) throw new Error(`The scenario changes PoP ${change.popId}, which the model does not know.`);
      after.set(change.popId, change);
    }
    const changed = [...new Set([...current.keys(), ...after.keys()])].filter((id) => stateKey(current.get(id)) !== stateKey(after.get(id)));
    const rankNow = (id: Id) => rankOf(current.get(id));
    const rankAfter = (id: Id) => rankOf(after.get(id));
    const raised = changed.filter((id) => rankAfter(id) < rankNow(id));
    const announcing = [...pops.keys()].filter((id) => rankAfter(id) < Infinity);
    const bestRank = Math.min(...announcing.map(rankAfter));
    const leaders = announcing.filter((id) => rankAfter(id) === bestRank);
    const leading = new Set(leaders);
    const leadingFlags = new Uint8Array(popIds.length);
    for (const id of leaders) if (popIndex.has(id)) leadingFlags[popIndex.get(id)!] = 1;

    // Recorded states equivalent to the scenario: every changed PoP in the state it will be in.
    const equivalent = changed.length
      ? recorded.filter((state) => changed.every((id) => (state.states.get(id) ?? "withdrawn") === stateKey(after.get(id)))).slice(0, MAX_REPLAYED_STATES)
      : [];
    const stillSo = (state: RecordedState, popId: Id) => pops.has(popId) && (state.states.get(popId) ?? "withdrawn") === stateKey(after.get(popId)) && rankAfter(popId) < Infinity;
    let peers: Map<string, Id> | null = null;
    const peerKey = (asn: number, popId: Id) => `${asn}|${String(popId)}`;
    // Built on first need: for each (ASN, PoP measured now), where most of its probes landed, most recent state first.
    const peerTargets = () => {
      if (peers) return peers;
      const decided = new Set<string>();
      peers = new Map();
      for (const state of equivalent) {
        const round = new Map<string, Map<Id, number>>();
        for (const [probeId, popId] of state.answers()) {
          const asn = probes.get(probeId)?.asn;
          const now = latest.get(probeId)?.popId;
          if (asn == null || now === undefined || !stillSo(state, popId)) continue;
          const key = peerKey(asn, now);
          if (decided.has(key)) continue;
          const counts = round.get(key) ?? new Map<Id, number>();
          counts.set(popId, (counts.get(popId) ?? 0) + 1);
          round.set(key, counts);
        }
        for (const [key, counts] of round) {
          decided.add(key);
          const [winner] = [...counts].sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]));
          peers.set(key, winner![0]);
        }
      }
      return peers;
    };

    // Probes without a location share few candidate lists (the leaders, mostly): sorted once each.
    const largestOf = new Map<readonly Id[], Id>();
    const byRtt = (vector: Vector | null, candidates: readonly Id[]): { popId: Id; reason: Reason } => {
      if (!vector) {
        let largest = largestOf.get(candidates);
        if (largest === undefined) {
          largest = [...candidates].sort((a, b) => (probesPerPop.get(b) ?? 0) - (probesPerPop.get(a) ?? 0) || compareIds(a, b))[0]!;
          largestOf.set(candidates, largest);
        }
        return { popId: largest, reason: "largest-catchment" };
      }
      let best = candidates[0]!;
      let bestMs = Infinity;
      let bestDot = -Infinity;
      for (const id of candidates) {
        const d = dot(vector, pops.get(id)!.vector);
        if (d < bestDot - SURELY_FARTHER) continue;
        const ms = calibration.interceptMs + calibration.msPerKm * kmOfDot(d);
        if (ms < bestMs || (ms === bestMs && compareIds(id, best) < 0)) [best, bestMs, bestDot] = [id, ms, d];
      }
      return { popId: best, reason: "calibrated-rtt" };
    };

    // What a probe's decision takes from its PoP alone, worked out once per PoP (and per ASN for
    // customer routes) instead of once per probe.
    type Standing = { lowered: boolean; announced: boolean; rivals: Id[]; strictlyBetter: Id[]; contenders: Id[]; customers: Map<number, Id[]> };
    const standings = new Map<Id, Standing>();
    const standingOf = (from: Id): Standing => {
      let standing = standings.get(from);
      if (!standing) {
        const rivals = raised.filter((id) => id !== from && rankAfter(id) <= rankAfter(from));
        standing = {
          lowered: rankAfter(from) > rankNow(from),
          announced: rankAfter(from) < Infinity,
          rivals,
          strictlyBetter: rivals.filter((id) => rankAfter(id) < rankAfter(from)),
          contenders: [from, ...rivals],
          customers: new Map(),
        };
        standings.set(from, standing);
      }
      return standing;
    };

    const decide = (probeId: Id, from: Id): { popId: Id | null; reason: Reason } => {
      const { lowered, announced, rivals, strictlyBetter, contenders, customers: customersByAsn } = standingOf(from);
      if (!lowered && rivals.length === 0) return { popId: from, reason: "unaffected" };
      if (announcing.length === 0) return { popId: null, reason: "no-route" };

      for (const state of equivalent) {
        const popId = state.answers().get(probeId);
        if (popId !== undefined && stillSo(state, popId)) return { popId, reason: "replayed" };
      }
      const probe = probes.get(probeId);
      const asn = probe?.asn ?? null;
      const vector = probe?.vector ?? null;
      const fromPop = pops.get(from);
      if (announced && asn !== null && fromPop?.upstreams.has(asn)) return { popId: from, reason: "upstream-stays" };

      const candidates = lowered ? leaders : rivals;
      if (lowered && leading.has(from)) return { popId: from, reason: "prepends-tie" };
      if (asn !== null) {
        let customers = customersByAsn.get(asn);
        if (!customers) customersByAsn.set(asn, (customers = candidates.filter((id) => pops.get(id)!.upstreams.has(asn))));
        if (customers.length) return { popId: byRtt(vector, customers).popId, reason: "upstream-customer" };
        if (equivalent.length) {
          const peer = peerTargets().get(peerKey(asn, from));
          if (peer !== undefined) return { popId: peer, reason: "same-asn" };
        }
      }
      if (lowered && vector && locality.trustNeighbours) {
        const popId = neighbourVote(vector, leadingFlags);
        if (popId !== null) return { popId, reason: "neighbours" };
      }
      if (lowered) return byRtt(vector, candidates);
      // A PoP restored or added competes with where the probe is now.
      if (strictlyBetter.length) return byRtt(vector, strictlyBetter);
      // Without both locations the two cannot be compared, and the probe is left where it is.
      return fromPop && vector ? byRtt(vector, contenders) : { popId: from, reason: "unaffected" };
    };

    const predictions: ProbePrediction[] = [];
    // When no PoP becomes more attractive, only the probes of the PoPs that change can move; in
    // probe order, as the full walk has them, so that loads summed over them come out the same.
    const candidates = only
      ? [...only].flatMap((probeId) => latest.get(probeId) ?? [])
      : movedOnly && raised.length === 0
        ? changed.flatMap((popId) => latestByPop.get(popId) ?? []).sort((a, b) => compareIds(a.probeId, b.probeId))
        : latestInOrder;
    for (const answer of candidates) {
      const { popId, reason } = decide(answer.probeId, answer.popId);
      if (movedOnly && popId === answer.popId) continue;
      predictions.push({ probeId: answer.probeId, measuredPopId: answer.popId, popId, evidence: EVIDENCE_OF[reason], reason });
    }
    return { probes: predictions, summary: summarise(predictions) };
  }

  return {
    calibration,
    locality,
    predictedRttMs(probeId, popId) {
      const pop = basePops.get(popId);
      return pop ? rttTo(probes.get(probeId)?.vector ?? null, pop) : null;
    },
    predict,
  };
}

function shares(counts: Map<Id, number>, total: number): PopShare[] {
  return [...counts]
    .map(([popId, probes]) => ({ popId, probes, share: total ? probes / total : 0 }))
    .sort((a, b) => b.probes - a.probes || compareIds(a.popId, b.popId));
}

export function summarise(predictions: readonly ProbePrediction[]): PredictionSummary {
  const before = new Map<Id, number>();
  const after = new Map<Id, number>();
  const movedBy: Record<EvidenceKind, number> = { observed: 0, inferred: 0, fallback: 0 };
  let moved = 0;
  let stranded = 0;
  for (const prediction of predictions) {
    before.set(prediction.measuredPopId, (before.get(prediction.measuredPopId) ?? 0) + 1);
    if (prediction.popId === null) stranded++;
    else after.set(prediction.popId, (after.get(prediction.popId) ?? 0) + 1);
    if (prediction.popId !== prediction.measuredPopId) {
      moved++;
      movedBy[prediction.evidence]++;
    }
  }
  return { probes: predictions.length, before: shares(before, predictions.length), after: shares(after, predictions.length), moved, movedBy, stranded };
}
