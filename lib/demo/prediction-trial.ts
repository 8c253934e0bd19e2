// The catchment model put to the test on the demo fleet: each PoP in turn is drained, restored,
// withdrawn, restored, drained again and restored, the simulated probes measure after each
// change (the truth), and each prediction made before the change is scored against them. The
// model sees only what the console would: measured answers, probe ASNs and locations, PoP
// locations and upstream ASNs, and the operations run so far, never the simulator's code.
// `npm run bench:predict` prints the result; a unit test holds it to the targets.
import { measureAccuracy, type Accuracy, type Tally } from "@/lib/domain/catchment/accuracy";
import { buildCatchmentModel, type MeasuredAnswer, type PastOperation, type PopRouting, type ProbePrediction } from "@/lib/domain/catchment/model";
import { distanceKm } from "@/lib/domain/geo";
import type { AnnouncementStateName } from "@/lib/domain/routing-model";
import { generateDemoFleet, type DemoFleetOptions } from "./fleet";
import { measurePrefix, type SimPop, type SimProbe } from "./simulator";

export type TrialChange = "first drain" | "observed drain" | "withdraw";

export type TrialResult = { popCode: string; change: TrialChange; model: Accuracy; nearest: Accuracy; predictMs: number };

export type TrialSummary = { change: TrialChange; operations: number; model: Tally; nearest: Tally; allModel: Tally; allNearest: Tally };

const DRAIN_PREPENDS = 3;
const TARGET = "192.0.2.0/24";
const MINUTE = 60_000;

/**
 * The estimate the console used before the model: a probe leaving a PoP goes to the nearest
 * PoP announcing undrained (among the drained ones when none is), a restored PoP takes back
 * the probes nearer to it than their own.
 */
export function nearestDistancePrediction(probes: readonly SimProbe[], pops: readonly SimPop[], measured: readonly MeasuredAnswer[], before: ReadonlyMap<string, AnnouncementStateName>, after: ReadonlyMap<string, AnnouncementStateName>): ProbePrediction[] {
  const probeById = new Map(probes.map((probe) => [probe.externalId, probe]));
  const nearest = (probe: SimProbe, among: readonly SimPop[]) => {
    let best: SimPop | null = null;
    for (const pop of among) if (!best || distanceKm(probe, pop) < distanceKm(probe, best)) best = pop;
    return best;
  };
  const announced = pops.filter((pop) => after.get(pop.code) === "announced");
  const restored = pops.filter((pop) => after.get(pop.code) === "announced" && before.get(pop.code) !== "announced");
  return measured.map((answer) => {
    const probe = probeById.get(String(answer.probeId))!;
    const from = String(answer.popId);
    let popId: string | null = from;
    if (after.get(from) !== "announced") {
      const drained = pops.filter((pop) => after.get(pop.code) === "drained" && (pop.code !== from || after.get(from) !== "drained"));
      popId = nearest(probe, announced.length ? announced : drained)?.code ?? null;
    } else {
      const back = nearest(probe, restored);
      const own = pops.find((pop) => pop.code === from);
      if (back && own && distanceKm(probe, back) < distanceKm(probe, own)) popId = back.code;
    }
    return { probeId: answer.probeId, measuredPopId: answer.popId, popId, evidence: "fallback", reason: "calibrated-rtt" };
  });
}

function routingOf(states: ReadonlyMap<string, AnnouncementStateName>): PopRouting[] {
  return [...states].map(([popId, state]) => (state === "drained" ? { popId, state, prepends: DRAIN_PREPENDS } : { popId, state }));
}

function answersOf(measurements: ReturnType<typeof measurePrefix>, pops: readonly SimPop[]): MeasuredAnswer[] {
  const byIdentity = new Map(pops.map((pop) => [pop.identity, pop.code]));
  return measurements.map((m) => ({ probeId: m.probe_id, popId: byIdentity.get(m.answer)!, rttMs: m.rtt_ms, at: new Date(m.timestamp) }));
}

export function runPredictionTrial(options: DemoFleetOptions & { popCodes?: readonly string[] }): TrialResult[] {
  const fleet = generateDemoFleet(options);
  const probes: SimProbe[] = fleet.probes.map((p) => ({ externalId: p.externalId, lat: p.latitude, lon: p.longitude, asn: p.asnV4 }));
  const pops: SimPop[] = fleet.pops.map((p) => ({ code: p.code, lat: p.latitude, lon: p.longitude, identity: p.identities[0]!, upstreamAsns: p.upstreams.map((u) => u.peerAsn) }));
  const probeFacts = fleet.probes.map((p) => ({ id: p.externalId, location: { lat: p.latitude, lon: p.longitude }, asn: p.asnV4 }));
  const popFacts = fleet.pops.map((p) => ({ id: p.code, location: { lat: p.latitude, lon: p.longitude }, upstreamAsns: p.upstreams.map((u) => u.peerAsn) }));

  let clock = options.now.getTime();
  let states = new Map(pops.map((pop) => [pop.code, "announced" as AnnouncementStateName]));
  let measured = answersOf(measurePrefix(probes, pops, states, TARGET, fleet.seed, new Date(clock)), pops);
  const history: PastOperation[] = [];
  const results: TrialResult[] = [];

  const change = (popCode: string, to: AnnouncementStateName, scored: TrialChange | null) => {
    const after = new Map(states).set(popCode, to);
    clock += 10 * MINUTE;
    const started = performance.now();
    const model = buildCatchmentModel({ probes: probeFacts, pops: popFacts, current: routingOf(states), measured, history });
    const predicted = model.predict({ changes: routingOf(new Map([[popCode, to]])) });
    const predictMs = performance.now() - started;
    const truth = answersOf(measurePrefix(probes, pops, after, TARGET, fleet.seed, new Date(clock + 5 * MINUTE)), pops);
    if (scored) {
      const nearest = nearestDistancePrediction(probes, pops, measured, states, after);
      const modelAccuracy = measureAccuracy(predicted.probes, truth, [popCode]);
      const nearestAccuracy = measureAccuracy(nearest, truth, [popCode]);
      if (modelAccuracy.kind === "measured" && nearestAccuracy.kind === "measured") {
        results.push({ popCode, change: scored, model: modelAccuracy.accuracy, nearest: nearestAccuracy.accuracy, predictMs });
      }
    }
    history.push({ at: new Date(clock), before: routingOf(states), after: routingOf(after), answersBefore: measured, answersAfter: truth });
    states = after;
    measured = truth;
  };

  for (const pop of options.popCodes ?? pops.map((p) => p.code)) {
    change(pop, "drained", "first drain");
    change(pop, "announced", null);
    change(pop, "withdrawn", "withdraw");
    change(pop, "announced", null);
    change(pop, "drained", "observed drain");
    change(pop, "announced", null);
  }
  return results;
}

function add(into: Tally, from: Tally): void {
  into.probes += from.probes;
  into.correct += from.correct;
}

/** Per kind of change, the affected probes' accuracy summed over every PoP (and over all probes). */
export function summariseTrial(results: readonly TrialResult[]): TrialSummary[] {
  const changes: TrialChange[] = ["withdraw", "first drain", "observed drain"];
  return changes.map((change) => {
    const summary: TrialSummary = { change, operations: 0, model: { probes: 0, correct: 0 }, nearest: { probes: 0, correct: 0 }, allModel: { probes: 0, correct: 0 }, allNearest: { probes: 0, correct: 0 } };
    for (const result of results.filter((r) => r.change === change)) {
      summary.operations++;
      add(summary.model, result.model.affected);
      add(summary.nearest, result.nearest.affected);
      add(summary.allModel, result.model);
      add(summary.allNearest, result.nearest);
    }
    return summary;
  });
}

