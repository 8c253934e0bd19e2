import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runToEnd, type ScriptRun } from "@/test/support/run-to-end";
import { runIngest } from "./ingest";

const fixture = (name: string) => path.join("lib/ingest/fixtures", name);
// Real RIPE Atlas results (see ../shared/fixtures/atlas-anycast/SOURCES.md).
const anycast = (name: string) => path.resolve(REPO_ROOT, "../shared/fixtures/atlas-anycast", name);

// No database anywhere: the dry run must not need one.
const { DATABASE_URL: _unset, ...envWithoutDatabase } = process.env;

/** `npx tsx scripts/ingest.ts`, as npm runs it; `via: "node"` skips npx's second of start-up. */
function ingest(args: string[], input?: string, via: "npx" | "node" = "node"): Promise<ScriptRun> {
  const command = via === "npx" ? ["npx", "tsx"] : [process.execPath, "--import", "tsx"];
  return runToEnd(command[0]!, [...command.slice(1), "scripts/ingest.ts", ...args], { env: envWithoutDatabase, input });
}

const stderrLines = (stderr: string) => stderr.trimEnd().split("\n");

// Each run starts tsx (a second or two), so the runs go in parallel.
describe.concurrent("npm run ingest", { timeout: 60_000 }, () => {
  it("--dry-run --json prints the summary of Atlas results and exits 0", async () => {
    const run = await ingest(["--dry-run", "--json", "--pops", fixture("pops.json"), fixture("atlas-results.json")], undefined, "npx");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dryRun: true,
      format: "atlas",
      kind: "measurements",
      total: 6,
      stored: 5,
      errors: 1,
      perPop: { AMS1: 2, FRA1: 1, SIN1: 1 },
      unmatched: [{ answer: "old-box.example.net", count: 1 }],
      issues: [
        { index: 4, reason: "probe reported: timeout 5000" },
        { index: 5, reason: 'not a DNS result (type "ping")' },
      ],
    });
  });

  it("--dry-run prints text, and takes --format over detection", async () => {
    const run = await ingest(["--dry-run", "--format", "csv", fixture("measurements.csv")]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Dry run (csv, nothing written)");
    expect(run.stdout).toContain("record 3 (line 4): lon is not a number");
  });

  it("refuses a file of unknown format with exit 1 and one line", async () => {
    const run = await ingest(["--dry-run", fixture("unknown-format.csv")]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(stderrLines(run.stderr)).toEqual([expect.stringMatching(/^catchment ingest: Unrecognised input: .*--format/)]);
  });

  it("refuses an all-bad batch from standard input; with --json the refusal is JSON too", async () => {
    const allBad = JSON.stringify({ type: "dns", prb_id: 6004, timestamp: 1767225630, error: { timeout: 5000 } }) + "\n";
    const run = await ingest(["--dry-run", "--json", "--format", "atlas", "-"], allBad);
    expect(run.status).toBe(1);
    expect(stderrLines(run.stderr)).toEqual([
      "catchment ingest: None of the 1 records can be stored; record 1: probe reported: timeout 5000.",
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({ refused: { code: "all_bad", issueCount: 1 } });
  });

  it("an unreadable file is exit 1 with one line", async () => {
    const run = await ingest(["--dry-run", "no/such/file.json"]);
    expect(run.status).toBe(1);
    expect(stderrLines(run.stderr)).toEqual(["catchment ingest: cannot read no/such/file.json: no such file"]);
  });

  it("without --dry-run and without DATABASE_URL says what to do, exit 2", async () => {
    const run = await ingest([fixture("atlas-results.json")]);
    expect(run.status).toBe(2);
    expect(stderrLines(run.stderr)).toEqual(["catchment ingest: set DATABASE_URL to store the batch, or run with --dry-run to check a file."]);
  });

  it("--dry-run reads a gzipped Verfploeter run and a geolocation file, and refuses a bad --measured-at", async () => {
    const run = path.resolve(REPO_ROOT, "../shared/fixtures/verfploeter/verfploeter-tangled-baseline-ipv4-2022-03-02-22h35m.csv.gz");
    const dir = mkdtempSync(path.join(os.tmpdir(), "ingest-test-"));
    const pops = path.join(dir, "pops.json");
    const geolocation = path.join(dir, "geo.csv");
    writeFileSync(pops, JSON.stringify([{ code: "SYD1", identities: ["au-syd*"] }, { code: "PAR1", identities: ["fr-par*"] }, { code: "LON1", identities: ["uk-lnd*"] }]));
    writeFileSync(geolocation, "prefix,lat,lon\n1.0.0.0/16,-33.9,151.2\nnot-a-prefix,1,2\n");
    const [dry, badTime] = await Promise.all([
      ingest(["--dry-run", "--json", "--pops", pops, "--geolocation", geolocation, run]),
      ingest(["--dry-run", "--measured-at", "yesterday", run]),
    ]);
    rmSync(dir, { recursive: true, force: true });
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ format: "verfploeter", total: 8926, duplicates: 10, stored: 8916, perPop: { LON1: 449, PAR1: 457, SYD1: 8010 } });
    expect(stderrLines(dry.stderr)).toEqual([expect.stringMatching(/--geolocation .*geo\.csv: 1 line left out \(line 3: /)]);
    expect(badTime.status).toBe(2);
    expect(badTime.stderr).toMatch(/--measured-at yesterday is not an ISO 8601 time with a zone/);
  });

  it("usage mistakes are exit 2", async () => {
    const [noFile, badFormat, badFlag, badSource] = await Promise.all([
      ingest(["--dry-run"]),
      ingest(["--dry-run", "--format", "xml", "x"]),
      ingest(["--dry-run", "--frobnicate", "x"]),
      ingest(["--dry-run", "--source", "moon", "x"]),
    ]);
    expect([noFile.status, badFormat.status, badFlag.status, badSource.status]).toEqual([2, 2, 2, 2]);
    expect(badSource.stderr).toMatch(/unknown --source moon/);
    expect(badFormat.stderr).toMatch(/unknown --format xml\nusage:/);
  });
});

describe.concurrent("npm run ingest -- --dry-run on real RIPE Atlas results", { timeout: 60_000 }, () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "catchment-ingest-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  // Sites as an operator would declare them: globs over the names each service answers with.
  const pops = path.join(folder, "pops.json");
  writeFileSync(
    pops,
    JSON.stringify([
      { code: "AMS", identities: ["*.ams.on.quad9.net", "*.ams.rrdns.pch.net"] },
      { code: "MIA", identities: ["*.mia.on.quad9.net", "*.mia.rrdns.pch.net"] },
      { code: "ODS", identities: ["ods*.l.root-servers.org"] },
    ]),
  );
  const dryRun = async (file: string) => {
    const run = await ingest(["--dry-run", "--json", "--pops", pops, anycast(file)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout) as unknown;
  };
  const timeout = { errors: 1, issues: [{ index: 14, reason: "probe reported: timeout 5000" }] };

  it("L-root by NSID: the results of the wrapper, matched by a glob, the other sites unmatched", async () => {
    expect(await dryRun("pierky-ripe-atlas-monitor-1071935-lroot-nsid-with-probes.json")).toMatchObject({
      format: "atlas",
      total: 5,
      stored: 5,
      issues: [],
      perPop: { ODS: 3 },
      unmatched: [
        { answer: "atl01.l.root-servers.org", count: 1 },
        { answer: "her01.l.root-servers.org", count: 1 },
      ],
    });
  });

  it("Quad9 by CNAME target and by TXT answer: the same probes at the same sites", async () => {
    const [cname, txt] = await Promise.all([
      dryRun("quad9-RIPE-Atlas-measurement-24980149-id.server.on.quad9.net-IN-abuf.json"),
      dryRun("quad9-RIPE-Atlas-measurement-24980204-idserver.json"),
    ]);
    for (const summary of [cname, txt]) {
      expect(summary).toMatchObject({ format: "atlas", total: 14, stored: 13, ...timeout, perPop: { AMS: 8, MIA: 5 }, unmatched: [] });
    }
  });

  it("Cloudflare's id.server excerpt: every result read", async () => {
    const run = await ingest(["--dry-run", anycast("tlevine-cloudflare-173.245.58.117-idserver-msm1768147-excerpt.json")]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("222 records read: 222 measurements, 222 to store");
    expect(run.stdout).toMatch(/^\s+142\s+JNB$/m);
  });
});

describe("runIngest", () => {
  it("parses and summarises a file for the database path to reuse", async () => {
    const run = await runIngest({ file: path.join(REPO_ROOT, fixture("atlas-probes.json")) });
    expect(run.batch.kind).toBe("probes");
    expect(run.summary).toMatchObject({ kind: "probes", stored: 2, issueCount: 1 });
    expect(run.pops).toBeUndefined();
  });

  it("reports a bad --pops file", async () => {
    const file = path.join(REPO_ROOT, fixture("measurements.csv"));
    await expect(runIngest({ file, popsFile: file })).rejects.toThrow(/is not JSON/);
    await expect(runIngest({ file, popsFile: path.join(REPO_ROOT, fixture("atlas-probes.json")) })).rejects.toThrow(/expected \[\{ "code"/);
  });
});
