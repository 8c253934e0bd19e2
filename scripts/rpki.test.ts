import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd } from "@/test/support/run-to-end";
import { EXIT, runRpki } from "./rpki";

const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-rpki-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string | Buffer): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const csv = file("vrps.csv", "ASN,IP Prefix,Max Length,Trust Anchor\nAS64500,192.0.2.0/24,24,ripe\nAS64511,192.0.0.0/16,16,ripe\nAS0,203.0.113.0/24,32,apnic\nAS64500,2001:db8::/32,48,ripe\n");

describe("npm run rpki -- check", () => {
  it("prints Valid with the covering VRPs, the matching one marked, and exits 0", () => {
    const run = runRpki(["check", "--vrps", csv, "192.0.2.0/24", "AS64500"]);
    expect(run.code).toBe(EXIT.checked);
    expect(run.err).toEqual([]);
    expect(run.out).toEqual([
      "192.0.2.0/24 AS64500: Valid (against 4 VRPs)",
      "Covering VRPs (2):",
      `         AS64511 192.0.0.0/16 max /16 (ripe; ${csv} line 3)`,
      `  match  AS64500 192.0.2.0/24 max /24 (ripe; ${csv} line 2)`,
    ]);
  });

  it("exits 3 for an invalid route (ASN or length), and 0 for NotFound", () => {
    expect(runRpki(["check", "--vrps", csv, "192.0.3.0/24", "64500"]).out[0]).toBe("192.0.3.0/24 AS64500: Invalid (ASN) (against 4 VRPs)");
    expect(runRpki(["check", "--vrps", csv, "192.0.3.0/24", "64500"]).code).toBe(EXIT.invalid);
    const length = runRpki(["check", "--vrps", csv, "2001:db8::/56", "64500"]);
    expect([length.code, length.out[0]]).toEqual([EXIT.invalid, "2001:db8::/56 AS64500: Invalid (length) (against 4 VRPs)"]);
    const as0 = runRpki(["check", "--vrps", csv, "203.0.113.0/24", "64500", "--json"]);
    expect(JSON.parse(as0.out[0]!)).toMatchObject({ state: "invalid_asn", covering: [{ asn: 0, prefix: "203.0.113.0/24", line: 4, matches: false }] });
    const notFound = runRpki(["check", "--vrps", csv, "198.51.100.0/24", "64500"]);
    expect([notFound.code, notFound.out]).toEqual([EXIT.checked, ["198.51.100.0/24 AS64500: NotFound (against 4 VRPs)", "No VRP covers this prefix."]]);
  });

  it("applies a SLURM file's filters and assertions on top", () => {
    const slurm = file("local.slurm", JSON.stringify({
      slurmVersion: 1,
      validationOutputFilters: { prefixFilters: [{ asn: 64511 }], bgpsecFilters: [] },
      locallyAddedAssertions: { prefixAssertions: [{ asn: 64501, prefix: "192.0.3.0/24" }], bgpsecAssertions: [] },
    }));
    expect(runRpki(["check", "--vrps", csv, "--slurm", slurm, "192.0.3.0/24", "AS64501"]).out[0]).toBe("192.0.3.0/24 AS64501: Valid (against 4 VRPs)");
  });

  it("names each bad line of a malformed file and exits 1 without checking", () => {
    const bad = file("bad.json", '{\n  "roas": [\n    { "asn": "AS1", "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe" },\n    { "asn": "AS1", "prefix": "192.0.2.9/24", "maxLength": 24, "ta": "ripe" }\n  ]\n}\n');
    const run = runRpki(["check", "--vrps", bad, "192.0.2.0/24", "AS1"]);
    expect(run.code).toBe(EXIT.fileError);
    expect(run.out).toEqual([]);
    expect(run.err).toEqual([`catchment rpki: ${bad}: line 4: 192.0.2.9/24 has host bits set: did you mean 192.0.2.0/24?`, `catchment rpki: ${bad} is malformed (1 bad record); nothing was checked.`]);
    expect(runRpki(["check", "--vrps", path.join(dir, "missing.csv"), "192.0.2.0/24", "1"]).err[0]).toContain("no such file");
  });

  it("refuses a file it cannot check against, saying why: empty, gzipped, binary, a directory", () => {
    const refusal = (vrps: string) => {
      const run = runRpki(["check", "--vrps", vrps, "192.0.2.0/24", "AS64500"]);
      expect([run.code, run.out], vrps).toEqual([EXIT.fileError, []]);
      return run.err.join("\n");
    };
    // An empty export is a failed validator run: checking against it would call every route NotFound.
    expect(refusal(file("empty.csv", ""))).toBe(`catchment rpki: ${path.join(dir, "empty.csv")} has no VRPs: nothing to check against.`);
    expect(refusal(file("empty.json", '{"roas": []}'))).toContain("has no VRPs");
    expect(refusal(file("vrps.csv.gz", gzipSync(readFileSync(csv))))).toBe(`catchment rpki: cannot read ${path.join(dir, "vrps.csv.gz")}: it is gzip-compressed: gunzip it first`);
    expect(refusal(file("random.bin", Buffer.from([0x41, 0x53, 0, 1, 2, 255, 0])))).toContain("it is not text");
    const folder = path.join(dir, "a-folder");
    mkdirSync(folder);
    expect(refusal(folder)).toBe(`catchment rpki: cannot read ${folder}: it is a directory`);
  });

  it("exits 2 on usage errors", () => {
    for (const argv of [[], ["check", "192.0.2.0/24", "1"], ["check", "--vrps", csv, "192.0.2.0/24"], ["check", "--vrps", csv, "192.0.2.1/24", "1"], ["check", "--vrps", csv, "192.0.2.0/24", "ASX"], ["verify", "--vrps", csv, "192.0.2.0/24", "1"], ["check", "--bogus"]]) {
      const run = runRpki(argv);
      expect(run.code, argv.join(" ")).toBe(EXIT.usage);
      expect(run.err.at(-1)).toMatch(/^usage: npm run rpki -- check --vrps FILE/);
    }
  });

  it("runs as npm runs it, with no database configured", { timeout: 60_000 }, async () => {
    const { DATABASE_URL: _unset, ...env } = process.env;
    const run = await runToEnd("npx", ["tsx", "scripts/rpki.ts", "check", "--vrps", csv, "192.0.3.0/24", "AS64500"], { env });
    expect(run).toEqual({ status: 3, stdout: `192.0.3.0/24 AS64500: Invalid (ASN) (against 4 VRPs)\nCovering VRPs (1):\n         AS64511 192.0.0.0/16 max /16 (ripe; ${csv} line 3)\n`, stderr: "" });
  });
});

describe("npm run rpki -- check with each validator's file (../shared/fixtures/rpki)", () => {
  const fixture = (name: string) => path.resolve(import.meta.dirname, "../../shared/fixtures/rpki", name);
  // The states as the files' tools meant them: checked as of a time before any of their VRPs
  // expired (the earliest, BGPalerter's, on 2021-05-22). The real clock is tested apart below.
  const AS_WRITTEN = new Date("2021-05-01T00:00:00Z");
  const state = (argv: string[]) => {
    const run = runRpki(["check", "--json", ...argv], AS_WRITTEN);
    // Only the counts of what an origin check does not use (router keys, ASPA objects) may be on stderr.
    expect(run.err.filter((line) => !line.includes(" ignored: ") && !line.includes(" not used: ")), argv.join(" ")).toEqual([]);
    return JSON.parse(run.out.join("\n")).state as string;
  };

  it("gives the RFC 6811 state against Routinator's csv, csvext, json, jsonext and bird2 outputs", () => {
    for (const name of ["routinator-test-output-111.csv", "routinator-test-output-111.csvext", "routinator-test-output-111.json", "routinator-test-output-111.jsonext", "routinator-test-output-101.jsonext", "routinator-test-output-110.jsonext", "routinator-test-output-111.bird2"]) {
      expect(state(["--vrps", fixture(name), "12.34.56.0/24", "AS1234"]), name).toBe("valid");
      expect(state(["--vrps", fixture(name), "12.34.56.0/25", "AS1234"]), name).toBe("invalid_length");
      expect(state(["--vrps", fixture(name), "12.34.56.0/24", "AS64500"]), name).toBe("invalid_asn");
      expect(state(["--vrps", fixture(name), "12.34.57.0/24", "AS1234"]), name).toBe("not_found");
    }
  });

  it("says on stderr that the ASPA objects are not used by an origin check, and still checks", () => {
    const run = runRpki(["check", "--vrps", fixture("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json"), "1.178.112.0/20", "AS12975"], AS_WRITTEN);
    expect(run.code).toBe(EXIT.checked);
    expect(run.err).toEqual([`catchment rpki: ${fixture("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json")}: 266 ASPA objects not used: this check validates route origins only`]);
    expect(run.out[0]).toBe("1.178.112.0/20 AS12975: Valid (against 1,697 VRPs)");
  });

  it("gives the state against rpki-client, StayRTR and BGPalerter files", () => {
    const rpkiClient = fixture("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json");
    expect(state(["--vrps", rpkiClient, "1.178.112.0/20", "AS64500"])).toBe("invalid_asn");
    expect(state(["--vrps", fixture("stayrtr-cmd-stayrtr-test.rpki.json"), "2001:610:1::/48", "AS1103"])).toBe("valid");
    expect(state(["--vrps", fixture("stayrtr-cmd-stayrtr-test.rpki.json"), "2001:610:1::/49", "AS1103"])).toBe("invalid_length");
    expect(state(["--vrps", fixture("stayrtr-cmd-stayrtr-smalltest.rpki.json"), "2001:200:136::/48", "AS9367"])).toBe("valid");
    expect(state(["--vrps", fixture("bgpalerter-rpki_tests-vrp.correct.json"), "8.8.8.0/24", "AS2914"])).toBe("valid");
    expect(state(["--vrps", fixture("bgpalerter-rpki_tests-vrp.correct.json"), "8.8.8.0/24", "AS15169"])).toBe("invalid_asn");
    expect(state(["--vrps", fixture("bgpalerter-rpki_tests-roas.after.json"), "2001:db8:123::/48", "AS2914"])).toBe("valid");
  });

  it("refuses BGPalerter's empty VRP list: against no VRPs every route would read NotFound, an RPKI-invalid one too", () => {
    const empty = fixture("bgpalerter-dump_tests-vrps.json");
    const run = runRpki(["check", "--vrps", empty, "8.8.8.0/24", "AS2914"], AS_WRITTEN);
    expect([run.code, run.out, run.err]).toEqual([EXIT.fileError, [], [`catchment rpki: ${empty} has no VRPs: nothing to check against.`]]);
  });

  it("applies SLURM v1 (RFC 8416's example, StayRTR's) and v2 files on top: filters drop, assertions add", () => {
    const vrps = fixture("stayrtr-cmd-stayrtr-test.rpki.json");
    expect(state(["--vrps", vrps, "192.0.2.0/24", "AS1"])).toBe("valid");
    for (const slurm of ["routinator-test-slurm-full.json", "stayrtr-prefixfile-slurm.json"]) {
      expect(state(["--vrps", vrps, "--slurm", fixture(slurm), "192.0.2.0/24", "AS1"]), slurm).toBe("not_found");
      expect(state(["--vrps", vrps, "--slurm", fixture(slurm), "2001:db8:1::/48", "AS64496"]), slurm).toBe("valid");
    }
    expect(state(["--vrps", fixture("routinator-test-output-111.csv"), "--slurm", fixture("routinator-test-output-111.slurm2"), "12.34.56.0/24", "AS1234"])).toBe("valid");
    expect(state(["--vrps", vrps, "--slurm", fixture("stayrtr-cmd-stayrtr-test.slurm.json"), "10.2.0.0/26", "AS65002"])).toBe("valid");
  });

  it("leaves out the VRPs a file says expired before now, counting them, and refuses a file whose every VRP expired", () => {
    const now = new Date("2026-12-05T12:00:00Z");
    // One of BGPalerter's two VRPs expired on 2021-05-22: the route it covered is no longer Valid.
    const after = fixture("bgpalerter-rpki_tests-roas.after.json");
    expect(runRpki(["check", "--vrps", after, "1.2.3.0/24", "AS2914"], AS_WRITTEN).out[0]).toBe("1.2.3.0/24 AS2914: Valid (against 2 VRPs)");
    const run = runRpki(["check", "--vrps", after, "1.2.3.0/24", "AS2914"], now);
    expect([run.code, run.out]).toEqual([EXIT.checked, ["1.2.3.0/24 AS2914: NotFound (against 1 VRP)", "No VRP covers this prefix."]]);
    expect(run.err).toEqual([`catchment rpki: ${after}: 1 VRP expired before now (the latest at 2021-05-22T13:53:22.000Z) and is left out, as a validator leaves them: export a fresh file.`]);
    // rpki-client's excerpt of 2023-05-04: all 1,697 expired a day later.
    const stale = runRpki(["check", "--vrps", fixture("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json"), "1.178.112.0/20", "AS12975"], now);
    expect([stale.code, stale.out]).toEqual([EXIT.fileError, []]);
    expect(stale.err.at(-1)).toMatch(/^catchment rpki: every VRP in .* expired before now: nothing to check against\.$/);
  });

  it("refuses a BGPalerter file with a bad record, naming it", () => {
    const wrong = fixture("bgpalerter-rpki_tests-vrp.wrong.json");
    const run = runRpki(["check", "--vrps", wrong, "8.8.8.0/24", "AS2914"]);
    expect(run.code).toBe(EXIT.fileError);
    expect(run.err).toEqual([`catchment rpki: ${wrong}: line 7: 123.4.5.0/14 has host bits set: did you mean 123.4.0.0/14?`, `catchment rpki: ${wrong} is malformed (1 bad record); nothing was checked.`]);
  });
});
