// `npm run bench:predict`: the catchment model's accuracy and speed on the demo fleet.
// 1. Accuracy: each demo PoP in turn is drained, restored, withdrawn, restored, drained again
//    and restored (lib/demo/prediction-trial.ts); the truth is what the simulated probes measure
//    after each change. Printed per kind of change, for the model and for the nearest-distance
//    estimate the console used before it, over the probes each change could move.
// 2. Speed: building the model and predicting one drain for 15,000 probes and 300 PoPs.
import { rate, type Tally } from "../lib/domain/catchment/accuracy";
import { buildCatchmentModel } from "../lib/domain/catchment/model";
import { generateDemoFleet } from "../lib/demo/fleet";
import { runPredictionTrial, summariseTrial } from "../lib/demo/prediction-trial";
import { measurePrefix } from "../lib/demo/simulator";
import { DEFAULT_DEMO_SEED } from "../lib/demo/fleet";

const NOW = new Date("2026-12-01T12:00:00Z");
const TARGETS = { withdraw: 0.9, "first drain": 0.8, "observed drain": 0.9 } as const;

const percent = (tally: Tally) => `${((rate(tally) ?? 0) * 100).toFixed(1)} %`;

function accuracy(): void {
  const started = performance.now();
  const results = runPredictionTrial({ seed: DEFAULT_DEMO_SEED, now: NOW });
  console.log(`Accuracy on the demo fleet (${results.length} scored changes, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`${"change".padEnd(16)} ${"ops".padStart(4)} ${"affected".padStart(8)}  ${"model".padStart(8)}  ${"nearest".padStart(8)}  ${"target".padStart(7)}  all probes: model / nearest`);
  for (const s of summariseTrial(results)) {
    const target = TARGETS[s.change];
    const verdict = (rate(s.model) ?? 0) >= target ? "met" : "MISSED";
    console.log(
      `${s.change.padEnd(16)} ${String(s.operations).padStart(4)} ${String(s.model.probes).padStart(8)}  ${percent(s.model).padStart(8)}  ${percent(s.nearest).padStart(8)}  ${`${target * 100} %`.padStart(7)} ${verdict.padEnd(6)}  ${percent(s.allModel)} / ${percent(s.allNearest)}`,
    );
  }
}

function speed(): void {
  const fleet = generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now: NOW, popCount: 300, probeCount: 15_000 });
  const pops = fleet.pops.map((p) => ({ code: p.code, lat: p.latitude, lon: p.longitude, identity: p.identities[0]!, upstreamAsns: p.upstreams.map((u) => u.peerAsn) }));
  const probes = fleet.probes.map((p) => ({ externalId: p.externalId, lat: p.latitude, lon: p.longitude, asn: p.asnV4 }));
  const states = new Map(pops.map((pop) => [pop.code, "announced" as const]));
  const byIdentity = new Map(pops.map((pop) => [pop.identity, pop.code]));
  const measured = measurePrefix(probes, pops, states, "192.0.2.0/24", fleet.seed, NOW).map((m) => ({ probeId: m.probe_id, popId: byIdentity.get(m.answer)!, rttMs: m.rtt_ms, at: NOW }));
  const input = {
    probes: fleet.probes.map((p) => ({ id: p.externalId, location: { lat: p.latitude, lon: p.longitude }, asn: p.asnV4 })),
    pops: fleet.pops.map((p) => ({ id: p.code, location: { lat: p.latitude, lon: p.longitude }, upstreamAsns: p.upstreams.map((u) => u.peerAsn) })),
    current: pops.map((pop) => ({ popId: pop.code, state: "announced" as const })),
    measured,
    history: [],
  };
  const times: number[] = [];
  for (const pop of pops.slice(0, 30)) {
    const started = performance.now();
    buildCatchmentModel(input).predict({ changes: [{ popId: pop.code, state: "drained", prepends: 3 }] });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
  console.log(`\nSpeed: build the model and predict one drain, ${probes.length.toLocaleString("en")} probes, ${pops.length} PoPs, 30 drains: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (target under 200 ms)`);
}

accuracy();
speed();
