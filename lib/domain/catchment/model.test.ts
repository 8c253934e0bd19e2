import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { distanceKm, type LatLon } from "../geo";
import { parseIgreedyTable, siteLocations } from "./igreedy";
import { NEIGHBOUR_MAX_KM, NEIGHBOURS, buildCatchmentModel, calibrateRtt, type MeasuredAnswer, type ModelInput, type PastOperation, type PopFacts, type PopRouting, type ProbeFacts } from "./model";

const at = new Date("2026-12-01T00:00:00Z");
const pops: PopFacts[] = [
  { id: "ams", location: { lat: 52.37, lon: 4.9 }, upstreamAsns: [1299] },
  { id: "fra", location: { lat: 50.11, lon: 8.68 }, upstreamAsns: [3356] },
  { id: "lon", location: { lat: 51.5, lon: -0.12 }, upstreamAsns: [174] },
  { id: "nyc", location: { lat: 40.71, lon: -74.0 }, upstreamAsns: [6939] },
];
const allAnnounced: PopRouting[] = pops.map((pop) => ({ popId: pop.id, state: "announced" }));

type ProbeSpec = { id: string; lat: number; lon: number; asn?: number; pop: string; rtt?: number };

/** Probes with their measured answer; the RTT defaults to 5 ms plus 2 ms per 100 km to their PoP. */
function catchment(specs: ProbeSpec[]): Pick<ModelInput, "probes" | "measured"> {
  const popById = new Map(pops.map((pop) => [pop.id, pop]));
  return {
    probes: specs.map((s) => ({ id: s.id, location: { lat: s.lat, lon: s.lon }, asn: s.asn ?? null })),
    measured: specs.map((s) => ({ probeId: s.id, popId: s.pop, rttMs: s.rtt ?? 5 + distanceKm(s, popById.get(s.pop)!.location) / 50, at })),
  };
}

const europe: ProbeSpec[] = [
  { id: "p-ams-1", lat: 52.1, lon: 5.1, pop: "ams", asn: 64501 },
  { id: "p-ams-2", lat: 53.2, lon: 6.5, pop: "ams", asn: 64502 },
  { id: "p-ams-3", lat: 51.2, lon: 4.4, pop: "ams", asn: 1299 },
  { id: "p-ams-4", lat: 51.9, lon: 7.6, pop: "ams", asn: 64504 },
  { id: "p-fra-1", lat: 48.1, lon: 11.6, pop: "fra", asn: 64511 },
  { id: "p-fra-2", lat: 50.9, lon: 6.9, pop: "fra", asn: 64512 },
  { id: "p-lon-1", lat: 53.5, lon: -2.2, pop: "lon", asn: 64521 },
  { id: "p-lon-2", lat: 48.9, lon: 2.35, pop: "lon", asn: 64522 },
  { id: "p-nyc-1", lat: 42.4, lon: -71.1, pop: "nyc", asn: 64531 },
  { id: "p-nyc-2", lat: 38.9, lon: -77.0, pop: "nyc", asn: 64532 },
];

function model(extra: Partial<ModelInput> = {}, specs = europe) {
  return buildCatchmentModel({ pops, current: allAnnounced, history: [], ...catchment(specs), ...extra });
}

/** Where most of the nearest neighbours on another PoP are, by brute force: what the model's grid must find. */
function neighbourVote(at: LatLon, others: readonly { location: LatLon; popId: string }[]): string | null {
  const near = others
    .map((other) => ({ km: distanceKm(at, other.location), popId: other.popId }))
    .filter((other) => other.km <= NEIGHBOUR_MAX_KM)
    .sort((a, b) => a.km - b.km || (a.popId < b.popId ? -1 : a.popId > b.popId ? 1 : 0))
    .slice(0, NEIGHBOURS);
  const votes = new Map<string, number>();
  for (const { popId } of near) votes.set(popId, (votes.get(popId) ?? 0) + 1);
  const most = Math.max(0, ...votes.values());
  return near.find(({ popId }) => votes.get(popId) === most)?.popId ?? null;
}

const byProbe = (prediction: ReturnType<ReturnType<typeof model>["predict"]>) => new Map(prediction.probes.map((p) => [p.probeId, p]));

describe("catchment model", () => {
  it("routed by distance: moves only the withdrawn PoP's probes, each to the lowest calibrated RTT unless an upstream holds it", () => {
    const m = model();
    expect(m.locality).toMatchObject({ sampled: europe.length, trustNeighbours: false });
    const result = m.predict({ changes: [{ popId: "ams", state: "withdrawn" }] });
    for (const p of result.probes) {
      if (p.measuredPopId !== "ams") {
        expect(p).toMatchObject({ popId: p.measuredPopId, evidence: "observed", reason: "unaffected" });
        continue;
      }
      const ranked = ["fra", "lon", "nyc"].sort((a, b) => m.predictedRttMs(p.probeId, a)! - m.predictedRttMs(p.probeId, b)!);
      expect(p).toMatchObject({ popId: ranked[0], evidence: "fallback", reason: "calibrated-rtt" });
    }
    expect(byProbe(result).get("p-ams-2")).toMatchObject({ popId: "fra" });
    expect(result.summary).toMatchObject({ probes: 10, moved: 4, movedBy: { observed: 0, inferred: 0, fallback: 4 }, stranded: 0 });
    expect(result.summary.after.find((s) => s.popId === "ams")).toBeUndefined();
  });

  it("routed past the nearest PoP: trusts the neighbours, where the measured catchment shows they know better than distance", () => {
    // Two clusters routed far past their nearest PoP (Cologne to New York, Brussels to London),
    // as real anycast catchments are, and a probe in Reykjavik with no probe within 500 km.
    const cluster = (name: string, lat: number, lon: number, pop: string): ProbeSpec[] =>
      Array.from({ length: 6 }, (_, i) => ({ id: `${name}-${i}`, lat: lat + 0.1 * i, lon: lon - 0.1 * i, pop, asn: 64600 + i }));
    const specs = [...europe, ...cluster("p-cgn", 50.9, 7.0, "nyc"), ...cluster("p-bru", 50.8, 4.4, "lon"), { id: "p-ams-far", lat: 64.1, lon: -21.9, pop: "ams", asn: 64505 }];
    const m = model({}, specs);
    expect(m.locality.trustNeighbours).toBe(true);
    expect(m.locality.neighbours).toBeGreaterThan(m.locality.rtt);
    const result = m.predict({ changes: [{ popId: "ams", state: "withdrawn" }] });
    const others = specs.filter((s) => s.pop !== "ams").map((s) => ({ location: s, popId: s.pop }));
    for (const p of result.probes) {
      if (p.measuredPopId !== "ams") continue;
      const spec = specs.find((s) => s.id === p.probeId)!;
      if (spec.asn === 1299) continue; // its upstream's customer route: see below
      const vote = neighbourVote(spec, others);
      if (vote) expect(p).toMatchObject({ popId: vote, evidence: "inferred", reason: "neighbours" });
      else {
        const ranked = ["fra", "lon", "nyc"].sort((a, b) => m.predictedRttMs(p.probeId, a)! - m.predictedRttMs(p.probeId, b)!);
        expect(p).toMatchObject({ popId: ranked[0], evidence: "fallback", reason: "calibrated-rtt" });
      }
    }
    const moved = byProbe(result);
    expect(moved.get("p-ams-4")).toMatchObject({ popId: "nyc", reason: "neighbours" });
    expect(moved.get("p-ams-far")).toMatchObject({ popId: "lon", reason: "calibrated-rtt" });
    expect(result.summary).toMatchObject({ probes: 23, moved: 5, stranded: 0 });
    expect(result.summary.movedBy.fallback).toBeGreaterThanOrEqual(1);
    expect(result.summary.movedBy.inferred).toBeGreaterThanOrEqual(3);
  });

  it("keeps a drained PoP's probe that sits in one of its upstream ASNs: a customer route beats a shorter path", () => {
    const result = byProbe(model().predict({ changes: [{ popId: "ams", state: "drained", prepends: 3 }] }));
    expect(result.get("p-ams-3")).toMatchObject({ popId: "ams", evidence: "inferred", reason: "upstream-stays" });
    expect(result.get("p-ams-1")!.popId).not.toBe("ams");
  });

  it("sends a moving probe to the PoP whose upstream ASN it sits in", () => {
    const specs = europe.map((s) => (s.id === "p-ams-1" ? { ...s, asn: 6939 } : s));
    const result = byProbe(model({}, specs).predict({ changes: [{ popId: "ams", state: "withdrawn" }] }));
    expect(result.get("p-ams-1")).toMatchObject({ popId: "nyc", evidence: "inferred", reason: "upstream-customer" });
  });

  it("replays a drain observed before, and a restore from the state before it", () => {
    const drained: PopRouting[] = allAnnounced.map((r) => (r.popId === "ams" ? { popId: "ams", state: "drained", prepends: 3 } : r));
    const answers = (pairs: [string, string][]): MeasuredAnswer[] => pairs.map(([probeId, popId]) => ({ probeId, popId, rttMs: null, at }));
    const lastDrain: PastOperation = {
      at: new Date("2026-11-20T00:00:00Z"),
      before: allAnnounced,
      after: drained,
      answersBefore: answers([["p-ams-1", "ams"], ["p-ams-2", "ams"]]),
      answersAfter: answers([["p-ams-1", "nyc"], ["p-ams-2", "lon"]]),
    };
    const m = model({ history: [lastDrain] });
    const drain = byProbe(m.predict({ changes: [{ popId: "ams", state: "drained", prepends: 3 }] }));
    expect(drain.get("p-ams-1")).toMatchObject({ popId: "nyc", evidence: "observed", reason: "replayed" });
    expect(drain.get("p-ams-2")).toMatchObject({ popId: "lon", evidence: "observed", reason: "replayed" });
    // Not observed then: this catchment follows distance (see above), so the lowest calibrated RTT.
    expect(drain.get("p-ams-4")).toMatchObject({ evidence: "fallback", reason: "calibrated-rtt" });
    // A drain with other prepends is not the same experiment.
    expect(byProbe(m.predict({ changes: [{ popId: "ams", state: "drained", prepends: 1 }] })).get("p-ams-1")!.evidence).not.toBe("observed");

    // Now measured while drained: restoring replays where the probes were before the drain.
    const whileDrained = catchment(europe.map((s) => (s.id === "p-ams-1" ? { ...s, pop: "nyc" } : s.id === "p-ams-2" ? { ...s, pop: "lon" } : s)));
    const restore = byProbe(buildCatchmentModel({ pops, current: drained, history: [lastDrain], ...whileDrained }).predict({ changes: [{ popId: "ams", state: "announced" }] }));
    expect(restore.get("p-ams-1")).toMatchObject({ measuredPopId: "nyc", popId: "ams", evidence: "observed", reason: "replayed" });
    expect(restore.get("p-ams-2")).toMatchObject({ measuredPopId: "lon", popId: "ams", evidence: "observed" });
  });

  it("infers a probe's move from probes of its ASN on the same PoP under an equivalent state", () => {
    const specs = [...europe, { id: "p-ams-5", lat: 52.0, lon: 5.0, pop: "ams", asn: 64501 }];
    const history: PastOperation[] = [
      {
        at: new Date("2026-11-20T00:00:00Z"),
        before: allAnnounced,
        after: allAnnounced.map((r) => (r.popId === "ams" ? { popId: "ams", state: "withdrawn" } : r)),
        answersBefore: [],
        answersAfter: [{ probeId: "p-ams-5", popId: "nyc", rttMs: 90, at }],
      },
    ];
    const result = byProbe(model({ history }, specs).predict({ changes: [{ popId: "ams", state: "withdrawn" }] }));
    expect(result.get("p-ams-5")).toMatchObject({ popId: "nyc", evidence: "observed" });
    expect(result.get("p-ams-1")).toMatchObject({ popId: "nyc", evidence: "inferred", reason: "same-asn" });
  });

  it("gives an added PoP the probes it is nearest to by the calibrated RTT", () => {
    const m = model();
    const par: PopFacts = { id: "par", location: { lat: 48.86, lon: 2.35 }, upstreamAsns: [] };
    const result = byProbe(m.predict({ added: [par] }));
    expect(result.get("p-lon-2")).toMatchObject({ measuredPopId: "lon", popId: "par", evidence: "fallback" });
    expect(result.get("p-lon-1")).toMatchObject({ popId: "lon", reason: "calibrated-rtt" });
    expect(result.get("p-nyc-1")).toMatchObject({ popId: "nyc", reason: "calibrated-rtt" });
    expect(result.get("p-ams-1")).toMatchObject({ popId: "ams" });
  });

  it("keeps probes among drained PoPs when every PoP is drained, and strands them when all withdraw", () => {
    const m = model();
    const drainAll = m.predict({ changes: pops.map((pop) => ({ popId: pop.id, state: "drained", prepends: 3 })) });
    expect(drainAll.summary.moved).toBe(0);
    const withdrawAll = m.predict({ changes: pops.map((pop) => ({ popId: pop.id, state: "withdrawn" })) });
    expect(withdrawAll.summary).toMatchObject({ moved: 10, stranded: 10, movedBy: { inferred: 10 } });
  });

  it("sends a probe without a location to the largest catchment among the candidates, and keeps it through a restore it cannot judge", () => {
    const m = model({ probes: [...catchment(europe).probes.filter((p) => p.id !== "p-ams-1"), { id: "p-ams-1", location: null, asn: null }] });
    expect(byProbe(m.predict({ changes: [{ popId: "ams", state: "withdrawn" }] })).get("p-ams-1")).toMatchObject({ popId: "fra", evidence: "fallback", reason: "largest-catchment" });
    const restore = buildCatchmentModel({ pops: pops.slice(0, 3), current: allAnnounced.slice(0, 3), history: [], measured: catchment(europe).measured, probes: [{ id: "p-ams-1", location: null, asn: null }] });
    expect(byProbe(restore.predict({ added: [pops[3]!] })).get("p-ams-1")).toMatchObject({ popId: "ams", reason: "unaffected" });
  });

  it("moves a probe on a drained PoP to a restored one with fewer prepends, unless an upstream of its own PoP holds it", () => {
    const amsDrained: PopRouting[] = allAnnounced.map((r) => (r.popId === "ams" ? { popId: "ams", state: "drained", prepends: 3 } : r.popId === "fra" ? { popId: "fra", state: "drained", prepends: 3 } : r));
    const specs = europe.map((s) => (s.pop === "fra" ? { ...s, pop: "ams" } : s));
    const m = buildCatchmentModel({ pops, current: amsDrained, history: [], ...catchment(specs) });
    const result = byProbe(m.predict({ changes: [{ popId: "fra", state: "announced" }] }));
    expect(result.get("p-fra-1")).toMatchObject({ measuredPopId: "ams", popId: "fra", evidence: "fallback" });
    expect(result.get("p-ams-1")).toMatchObject({ popId: "fra", evidence: "fallback" });
    expect(result.get("p-ams-3")).toMatchObject({ popId: "ams", evidence: "inferred", reason: "upstream-stays" });
    // An undrained PoP competes with the restored one on calibrated RTT: Manchester keeps LON.
    expect(result.get("p-lon-1")).toMatchObject({ popId: "lon", reason: "calibrated-rtt" });
  });

  it("is deterministic: the same facts in any order give the same prediction", () => {
    const scenario = { changes: [{ popId: "fra", state: "withdrawn" as const }, { popId: "ams", state: "drained" as const, prepends: 2 }] };
    const first = model().predict(scenario);
    const shuffled = buildCatchmentModel({
      pops: [...pops].reverse(),
      current: [...allAnnounced].reverse(),
      history: [],
      probes: [...catchment(europe).probes].reverse(),
      measured: [...catchment(europe).measured].reverse(),
    }).predict(scenario);
    expect(shuffled).toEqual(first);
    expect(model().predict(scenario)).toEqual(first);
  });

  it("fits RTT against distance no flatter than the fibre floor", () => {
    const flat = calibrateRtt([{ km: 100, rttMs: 50 }, { km: 5000, rttMs: 50 }]);
    expect(flat.msPerKm).toBeCloseTo(0.01);
    const fitted = calibrateRtt(Array.from({ length: 40 }, (_, k) => ({ km: k * 250 + 100, rttMs: 10 + 0.025 * (k * 250 + 100) })));
    expect(fitted.interceptMs).toBeCloseTo(10, 0);
    expect(fitted.msPerKm).toBeCloseTo(0.025, 3);
  });
});

describe("catchment model on the real catchments of F, I and K root", () => {
  const fixtures = path.resolve(import.meta.dirname, "../../../../shared/fixtures/atlas-anycast");
  for (const letter of ["f", "i", "k"]) {
    it(`${letter.toUpperCase()} root: withdrawing each of its three biggest sites moves only that site's probes, each where its evidence says`, () => {
      const { rows, issues } = parseIgreedyTable(readFileSync(path.join(fixtures, `igreedy-${letter}-root-ripe-atlas-measurement+gt.tsv`), "utf8"));
      expect(issues).toEqual([]);
      expect(rows.length).toBeGreaterThan(6000);
      const sites = siteLocations(rows);
      const probes: ProbeFacts[] = rows.map((row) => ({ id: row.probeId, location: row.location, asn: null }));
      const m = buildCatchmentModel({
        probes,
        pops: [...sites].map(([id, location]) => ({ id, location, upstreamAsns: [] })),
        current: [...sites.keys()].map((id) => ({ popId: id, state: "announced" })),
        measured: rows.map((row) => ({ probeId: row.probeId, popId: row.site, rttMs: row.rttMs, at })),
        history: [],
      });
      const sizes = new Map<string, number>();
      for (const row of rows) sizes.set(row.site, (sizes.get(row.site) ?? 0) + 1);
      const biggest = [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 3);
      for (const [site, count] of biggest) {
        const result = m.predict({ changes: [{ popId: site, state: "withdrawn" }] });
        const others = [...sites.keys()].filter((id) => id !== site);
        const elsewhere = rows.filter((row) => row.site !== site).map((row) => ({ location: row.location, popId: row.site }));
        const moving = result.probes.filter((p) => p.measuredPopId === site);
        for (const p of result.probes) if (p.measuredPopId !== site) expect(p).toMatchObject({ popId: p.measuredPopId, reason: "unaffected" });
        // Checked by brute force on every 20th moving probe: a scan of every probe is slow.
        for (const p of moving.filter((_, k) => k % 20 === 0)) {
          const vote = neighbourVote(rows.find((row) => row.probeId === p.probeId)!.location, elsewhere);
          if (vote) expect(p).toMatchObject({ popId: vote, reason: "neighbours" });
          else {
            expect(p.reason).toBe("calibrated-rtt");
            expect(m.predictedRttMs(p.probeId, p.popId!)).toBe(Math.min(...others.map((id) => m.predictedRttMs(p.probeId, id)!)));
          }
        }
        expect(moving.every((p) => p.reason === "neighbours" || p.reason === "calibrated-rtt")).toBe(true);
        expect(result.summary).toMatchObject({ moved: count, stranded: 0, movedBy: { observed: 0 } });
        expect(result.summary.movedBy.inferred + result.summary.movedBy.fallback).toBe(count);
      }
    });
  }

  it("places each site at its lowest-RTT probes", () => {
    const sites = siteLocations([
      { site: "ams", rttMs: 2, location: { lat: 52, lon: 5 } },
      { site: "ams", rttMs: 1, location: { lat: 52.3, lon: 4.9 } },
      { site: "ams", rttMs: 1, location: { lat: 52.4, lon: 4.8 } },
      { site: "ams", rttMs: 1, location: { lat: 52.5, lon: 4.7 } },
    ]);
    expect(sites.get("ams")).toEqual({ lat: 52.4, lon: 4.8 });
  });
});
