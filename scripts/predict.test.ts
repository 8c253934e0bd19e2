import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runToEnd } from "@/test/support/run-to-end";
import { EXIT, runPredict } from "./predict";

const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-predict-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const kRoot = path.resolve(REPO_ROOT, "../shared/fixtures/atlas-anycast/igreedy-k-root-ripe-atlas-measurement+gt.tsv");
// A real Verfploeter run, gzipped: 8,916 client /24s, none with a location (../shared/fixtures/verfploeter/SOURCES.md).
const verfploeter = path.resolve(REPO_ROOT, "../shared/fixtures/verfploeter/verfploeter-tangled-baseline-ipv4-2022-03-02-22h35m.csv.gz");
const tangled = (extra: Record<string, object> = {}) =>
  JSON.stringify([
    { code: "SYD1", lat: -33.87, lon: 151.21, identities: ["au-syd*"], ...extra.SYD1 },
    { code: "CDG1", lat: 48.86, lon: 2.35, identities: ["fr-par*"], ...extra.CDG1 },
    { code: "LHR1", lat: 51.5, lon: -0.12, identities: ["uk-lnd*"], ...extra.LHR1 },
  ]);

const csv = file(
  "answers.csv",
  [
    "probe_id,lat,lon,pop,rtt_ms,timestamp",
    "1,52.1,5.1,AMS1,4,2026-12-01T00:00:00Z",
    "2,51.2,4.4,AMS1,6,2026-12-01T00:00:00Z",
    "3,50.9,6.9,FRA1,5,2026-12-01T00:00:00Z",
    "4,48.1,11.6,FRA1,9,2026-12-01T00:00:00Z",
    "5,53.5,-2.2,LON1,6,2026-12-01T00:00:00Z",
    "6,40.7,-74.0,NYC1,3,2026-12-01T00:00:00Z",
  ].join("\n"),
);
const pops = file(
  "pops.json",
  JSON.stringify([
    { code: "AMS1", lat: 52.37, lon: 4.9, upstreamAsns: [1299] },
    { code: "FRA1", lat: 50.11, lon: 8.68 },
    { code: "LON1", lat: 51.5, lon: -0.12 },
    { code: "NYC1", lat: 40.71, lon: -74.0 },
  ]),
);

describe("npm run predict", () => {
  it("prints the shares before and after withdrawing K root's biggest site, with the evidence split", async () => {
    const run = await runPredict(["--catchment", kRoot, "--withdraw", "ams-ix"]);
    expect(run.err).toEqual([]);
    expect(run.code).toBe(EXIT.predicted);
    expect(run.out[0]).toBe("Withdraw of ams-ix: 6,197 probes, 2,358 move (observed 0, inferred 2,352, fallback 6).");
    expect(run.out.slice(3, 5)).toEqual(["2,352 probes follow most of their nearest neighbours.", "6 probes go to the PoP with the lowest calibrated RTT."]);
    expect(run.out).toContainEqual(expect.stringMatching(/^ams-ix\s+2,358\s+38\.1 %\s+0\s+0\.0 %$/));
    expect(run.out).toContainEqual(expect.stringMatching(/^linx\s+1,501\s+24\.2 %\s+2,268\s+36\.6 %$/));
  });

  it("reads the console's CSV format with a pops file, as JSON", async () => {
    const run = await runPredict(["--catchment", csv, "--pops", pops, "--drain", "AMS1:2", "--json"]);
    expect(run.code).toBe(EXIT.predicted);
    const result = JSON.parse(run.out.join("\n"));
    expect(result).toMatchObject({ change: { popId: "AMS1", state: "drained", prepends: 2 }, probes: 6, moved: 2, movedBy: { inferred: 0, fallback: 2 }, stranded: 0 });
    // Every probe here sits on its nearest PoP, so the model follows distance, not neighbours:
    // Utrecht goes to Frankfurt, Antwerp to London.
    expect(result.locality).toMatchObject({ sampled: 6, rtt: 1, trustNeighbours: false });
    expect(result.after).toEqual([
      { popId: "FRA1", probes: 3, share: 3 / 6 },
      { popId: "LON1", probes: 2, share: 2 / 6 },
      { popId: "NYC1", probes: 1, share: 1 / 6 },
    ]);
  });

  it("reads NDJSON without a pops file, placing each PoP at its lowest-RTT probes", async () => {
    const ndjson = file(
      "answers.ndjson",
      [
        { probe_id: "1", lat: 52.1, lon: 5.1, pop: "AMS1", rtt_ms: 4, timestamp: "2026-12-01T00:00:00Z" },
        { probe_id: "2", lat: 50.9, lon: 6.9, pop: "FRA1", rtt_ms: 5, timestamp: "2026-12-01T00:00:00Z" },
        { probe_id: "3", lat: 40.7, lon: -74.0, pop: "NYC1", rtt_ms: 3, timestamp: "2026-12-01T00:00:00Z" },
        { probe_id: "4", lat: 51.0, lon: 4.0, pop: "FRA1", rtt_ms: 9, timestamp: "2026-12-01T00:00:00Z" },
      ]
        .map((record) => JSON.stringify(record))
        .join("\n"),
    );
    const run = await runPredict(["--catchment", ndjson, "--withdraw", "FRA1"]);
    expect(run).toMatchObject({ code: EXIT.predicted, err: [] });
    // Every probe sits on its nearest PoP (Ghent's is FRA1's site as placed), so distance decides.
    expect(run.out[0]).toBe("Withdraw of FRA1: 4 probes, 2 move (observed 0, inferred 0, fallback 2).");
    expect(run.out).toContainEqual(expect.stringMatching(/^AMS1\s+1\s+25\.0 %\s+3\s+75\.0 %$/));
  });

  it("reads a gzipped Verfploeter file as npm run ingest does, detected or named with --format", async () => {
    const tangledPops = file("tangled.json", tangled());
    const detected = await runPredict(["--catchment", verfploeter, "--pops", tangledPops, "--withdraw", "syd1"]);
    expect(detected).toMatchObject({ code: EXIT.predicted, err: [] });
    expect(detected.out[0]).toBe("Withdraw of SYD1: 8,916 probes, 8,010 move (observed 0, inferred 0, fallback 8,010).");
    // No /24 has a location: the model sends them to the largest catchment left, not by distance,
    // and says so; there is no RTT calibration to print.
    expect(detected.out.slice(1, 3)).toEqual([
      "No probe has a location: the model has no RTT calibration and no neighbours to go by.",
      "8,010 probes without a location go to CDG1, which serves the most probes now of the PoPs they can go to: the model has no distance for them.",
    ]);
    expect(detected.out.join("\n")).not.toMatch(/RTT calibrated|RTT not calibrated|lowest calibrated RTT/);
    expect(detected.out).toContainEqual(expect.stringMatching(/^SYD1\s+8,010\s+89\.8 %\s+0\s+0\.0 %$/));
    const named = await runPredict(["--catchment", verfploeter, "--format", "verfploeter", "--pops", tangledPops, "--withdraw", "SYD1"]);
    expect(named.out).toEqual(detected.out);
    expect(await runPredict(["--catchment", verfploeter, "--format", "xml", "--withdraw", "SYD1"])).toMatchObject({ code: EXIT.usage, err: ["catchment predict: unknown --format xml", expect.stringMatching(/^usage: /)] });
  });

  it("warns when the pops file gives a PoP as withdrawn that the measurements show catching probes", async () => {
    const contradicted = file("contradicted.json", tangled({ LHR1: { state: "withdrawn" } }));
    const run = await runPredict(["--catchment", verfploeter, "--pops", contradicted, "--withdraw", "SYD1"]);
    expect(run.code).toBe(EXIT.predicted);
    expect(run.err).toEqual([`catchment predict: warning: ${contradicted} gives LHR1 as withdrawn, yet 449 probes were measured on it; predicted with it withdrawn, as given.`]);
  });

  it("says why no answer names a PoP: no identities given, none matching, or several PoPs matching", async () => {
    expect(await runPredict(["--catchment", verfploeter, "--withdraw", "SYD1"])).toMatchObject({
      code: EXIT.fileError,
      err: [`catchment predict: no answer in ${verfploeter} names a PoP: 8,916 answers name no PoP (e.g. "au-syd-anycast01", "fr-par-anycast01", "uk-lnd-anycast02"): give --pops with each PoP's identities`],
    });
    const overlapping = file("overlapping.json", tangled({ CDG1: { identities: ["au-syd*"] }, LHR1: { identities: ["lhr*"] } }));
    const run = await runPredict(["--catchment", verfploeter, "--pops", overlapping, "--withdraw", "SYD1"]);
    expect(run.code).toBe(EXIT.fileError);
    expect(run.err).toEqual([
      `catchment predict: no answer in ${verfploeter} names a PoP: 906 answers match no PoP's identities in ${overlapping} (e.g. "fr-par-anycast01", "uk-lnd-anycast02"); ` +
        `8,010 answers match the identities of several PoPs in ${overlapping} (e.g. "au-syd-anycast01": CDG1, SYD1)`,
    ]);
    expect(run.err[0]).not.toMatch(/give --pops/);
    const partly = file("partly.json", tangled({ LHR1: { identities: ["lhr*"] } }));
    expect((await runPredict(["--catchment", verfploeter, "--pops", partly, "--withdraw", "SYD1"])).out).toContain(`449 answers match no PoP's identities in ${partly} (e.g. "uk-lnd-anycast02"); they are left out.`);
  });

  it("refuses bad arguments with exit 2 and unreadable or malformed files with exit 1", async () => {
    expect((await runPredict(["--catchment", kRoot])).code).toBe(EXIT.usage);
    expect((await runPredict(["--catchment", kRoot, "--drain", "linx", "--withdraw", "linx"])).code).toBe(EXIT.usage);
    expect((await runPredict(["--catchment", kRoot, "--drain", "linx:0"])).code).toBe(EXIT.usage);
    expect((await runPredict(["--catchment", kRoot, "--bogus"])).code).toBe(EXIT.usage);
    const unknown = await runPredict(["--catchment", kRoot, "--withdraw", "nowhere"]);
    expect(unknown).toMatchObject({ code: EXIT.usage });
    expect(unknown.err[0]).toMatch(/^catchment predict: unknown PoP nowhere; the PoPs are ams-ix, apnic, bix/);

    expect(await runPredict(["--catchment", path.join(dir, "missing.tsv"), "--withdraw", "x"])).toMatchObject({ code: EXIT.fileError, err: [`catchment predict: cannot read ${path.join(dir, "missing.tsv")}: no such file`] });
    expect(await runPredict(["--catchment", dir, "--withdraw", "x"])).toMatchObject({ code: EXIT.fileError, err: [`catchment predict: cannot read ${dir}: it is a directory`] });
    const bad = file("bad.tsv", "#hostname\tlatitude\tlongitude\tgt\tmin(rtt)[ms]\n1\t52\t5\tams\t1\n2\t95\t5\tams\t1\n");
    expect(await runPredict(["--catchment", bad, "--withdraw", "ams"])).toMatchObject({
      code: EXIT.predicted,
      err: [`catchment predict: ${bad}: line 3: latitude 95 is not between -90 and 90`, `catchment predict: ${bad}: 1 record left out.`],
      out: expect.arrayContaining(["Withdraw of ams: 1 probe, 1 move (observed 0, inferred 1, fallback 0), 1 find no PoP."]),
    });
    const broken = file("broken.json", JSON.stringify([{ code: "AMS1", lat: 95, lon: 4.9 }]));
    expect(await runPredict(["--catchment", csv, "--pops", broken, "--withdraw", "AMS1"])).toMatchObject({ code: EXIT.fileError, err: [`catchment predict: ${broken}: 0.lat: Too big: expected number to be <=90`, `catchment predict: ${broken} is malformed (1 bad record); nothing was predicted.`] });
    const partial = file("partial.json", JSON.stringify([{ code: "AMS1", lat: 52.37, lon: 4.9 }]));
    expect(await runPredict(["--catchment", csv, "--pops", partial, "--withdraw", "AMS1"])).toMatchObject({ code: EXIT.fileError, err: [`catchment predict: ${csv} names PoP FRA1, LON1, NYC1, which ${partial} does not list`] });
  });

  it("runs as npm runs it", async () => {
    const run = await runToEnd("npx", ["tsx", "scripts/predict.ts", "--catchment", kRoot, "--drain", "linx"], { env: process.env });
    expect(run.status).toBe(EXIT.predicted);
    expect(run.stdout).toMatch(/^Drain of linx \(3 prepends\): 6,197 probes, 1,501 move/);
  });
});
