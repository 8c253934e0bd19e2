// `npm run bench:placement`: placement review on the scaled demo fleet (300 PoPs, 15,000
// probes, its three prefixes), without a database: what /placement and a scenario's page
// compute on the server once the facts are read.
// 1. One scenario (a candidate PoP, a removed PoP, a prepend) evaluated on the model of every
//    prefix (target: under 300 ms), as the server does it: the server keeps the built model
//    for CATCHMENT_PLACEMENT_MODEL_MS (lib/server/placement/get-placement-review.ts), so a request
//    evaluates on a built model; the build, which a request pays once in that time, is printed
//    apart, then the two together (what that request pays), and the N-1 table after the scenario
//    that its page shows too. The first run is a cold one, as after the server starts.
// 2. The N-1 table for all 300 PoPs (target: under 3 s).
// 3. A recommendation over the 1,000 largest cities for k = 3 (target: under 10 s).
// 4. A pasted candidate list at its limit (2,000 lines, a quarter naming no city), resolved before
//    the recommendation starts, and typeahead searches: both hold the server's event loop.
import { DEFAULT_DEMO_SEED, generateDemoFleet } from "../lib/demo/fleet";
import { demoFleetFacts } from "../lib/demo/fleet-facts";
import { cityIndex, findCity, latLonOf } from "../lib/demo/cities";
import { findPlace, largestPlaces, searchPlaces } from "../lib/domain/placement/city-search";
import { recommendSites } from "../lib/domain/placement/recommend";
import { buildCapacityModel } from "../lib/domain/operations/capacity";
import { nMinusOne, nMinusOneAfter } from "../lib/domain/placement/n-minus-one";
import { evaluateScenario, type ResolvedScenario } from "../lib/domain/placement/scenario";
import { config } from "../lib/config";

const NOW = new Date("2026-12-01T12:00:00Z");
const RUNS = Number(process.env.RUNS ?? 10);

const started = performance.now();
const facts = demoFleetFacts(generateDemoFleet({ seed: DEFAULT_DEMO_SEED, now: NOW, popCount: 300, probeCount: 15_000 }));
const prefixIds = [...facts.prefixes.keys()];
console.log(`scaled fleet: ${facts.pops.length} PoPs, ${facts.catchment.length.toLocaleString("en")} answers over ${prefixIds.length} prefixes (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
const announcing = new Map(prefixIds.map((id) => [id, new Set(facts.announcements.filter((a) => a.prefixId === id).map((a) => a.popId))]));
const scenario: ResolvedScenario = {
  removed: [facts.pops.find((pop) => pop.code === "FRA1")!.id],
  prepends: new Map([[facts.pops.find((pop) => pop.code === "AMS1")!.id, 2]]),
  candidates: [{ id: -1, name: "Nairobi (new)", location: latLonOf(findCity("Nairobi", "KE")), capacityBps: 100e9, upstreamAsns: [] }],
};

const p = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const builds: number[] = [];
const times: number[] = [];
const afterTimes: number[] = [];
const withBuild: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const building = performance.now();
  const built = buildCapacityModel(prefixIds, facts.announcements, facts.catchment, facts.pops);
  builds.push(performance.now() - building);
  const began = performance.now();
  const result = evaluateScenario(built, scenario, announcing, prefixIds[0]!);
  times.push(performance.now() - began);
  const after = performance.now();
  const rows = nMinusOneAfter(built, scenario, announcing, facts.announcements, facts.prefixes, facts.popCodes);
  afterTimes.push(performance.now() - after);
  withBuild.push(builds[run]! + times[run]!);
  if (run === 0) console.log(`first run (code not yet optimised, as after the server starts): build ${builds[0]!.toFixed(0)} ms + scenario ${times[0]!.toFixed(0)} ms`);
  if (run === 0) console.log(`scenario: ${result.movedProbes} probe answers of the first prefix move (evidence ${JSON.stringify(result.movedBy)}); after it, ${rows.filter((row) => row.breaks).length} of ${rows.length} single losses break a limit`);
}
const figures = (values: number[]) => {
  values.sort((a, b) => a - b);
  return `p50 ${p(values, 0.5).toFixed(0)} ms, p95 ${p(values, 0.95).toFixed(0)} ms, max ${values.at(-1)!.toFixed(0)} ms`;
};
console.log(`one scenario on a built model, ${RUNS} runs: ${figures(times)} (target 300 ms)`);
console.log(`building the model of every prefix (once per ${config().CATCHMENT_PLACEMENT_MODEL_MS / 1000} s on the server), ${RUNS} runs: ${figures(builds)}`);
console.log(`a request that builds the model too (build + scenario), ${RUNS} runs: ${figures(withBuild)} (target 300 ms)`);
console.log(`the N-1 table after the scenario (${facts.pops.length} PoPs), ${RUNS} runs: ${figures(afterTimes)}`);

const began = performance.now();
const built = buildCapacityModel(prefixIds, facts.announcements, facts.catchment, facts.pops);
const rows = nMinusOne(built, facts.announcements, facts.prefixes, facts.popCodes);
const seconds = (performance.now() - began) / 1000;
console.log(`N-1 table: ${rows.length} PoPs in ${seconds.toFixed(2)} s, model build included (target 3 s); ${rows.filter((row) => row.breaks).length} losses break a limit`);

const places = largestPlaces(cityIndex(), 1000);
for (const objective of ["traffic-p90", "worst-region-p90"] as const) {
  const at = performance.now();
  const sets = recommendSites(built, prefixIds[0]!, places, { k: 3, objective });
  const best = sets[0]!;
  console.log(
    `recommendation, ${places.length} candidates, k = 3, ${objective}: ${((performance.now() - at) / 1000).toFixed(2)} s (target 10 s); ` +
      `best ${best.sites.map((site) => site.name).join(" + ")}: ${best.before.toFixed(1)} -> ${best.after.toFixed(1)} ms`,
  );
}

const cities = cityIndex();
const lines = [...places.slice(0, 1000).map((place) => `${place.name}, ${place.country}`), ...Array.from({ length: 1000 }, (_, i) => (i % 2 ? "a" : `zzz${i}`))];
const resolving = performance.now();
const found = lines.filter((line) => findPlace(cities, line)).length;
console.log(`a pasted list of ${lines.length} lines (${found} found): resolved in ${(performance.now() - resolving).toFixed(0)} ms`);
const searching = performance.now();
for (const query of ["nairo", "zzz-no-such-city", "a"]) searchPlaces(cities, query);
console.log(`three typeahead searches ("nairo", a miss, "a"): ${(performance.now() - searching).toFixed(0)} ms`);
