// Every file in ../shared/fixtures/rpki (real validator output; see its SOURCES.md), read as the
// import reads it: counts of VRPs, ASPA objects and warnings, or refused with the reason a user would see.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { describeIssue, parseVrpFile, type VrpFormat } from "./vrp-parse";

const FIXTURES = path.resolve(import.meta.dirname, "../../../../shared/fixtures/rpki");
const read = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

const IGNORED = (count: number, what: string) => `${count} ${what} ignored: Catchment validates route origins only`;

/** `duplicates` counts repeated ROAs and repeated ASPA objects alike. */
type Expected = { format: VrpFormat; vrps: number; duplicates: number; sources: string[]; aspas?: number; filters?: number; warnings?: string[]; issues?: string[] };

const EXPECTED: Record<string, Expected> = {
  // BGPalerter's VRP files: JSON lists, ASNs as 2914, "2914" or "AS2914", with or without "ta".
  "bgpalerter-dump_tests-vrps.json": { format: "generic-json", vrps: 0, duplicates: 0, sources: [] },
  "bgpalerter-rpki_tests-roas.after.json": { format: "generic-json", vrps: 2, duplicates: 0, sources: ["ripe"] },
  "bgpalerter-rpki_tests-roas.before.json": { format: "generic-json", vrps: 4, duplicates: 0, sources: ["ripe"], issues: ["line 26: 94.5.4.3/22 has host bits set: did you mean 94.5.4.0/22?"] },
  "bgpalerter-rpki_tests-vrp.correct.json": { format: "generic-json", vrps: 3, duplicates: 0, sources: ["import"] },
  "bgpalerter-rpki_tests-vrp.wrong.json": { format: "generic-json", vrps: 1, duplicates: 0, sources: ["import"], issues: ["line 7: 123.4.5.0/14 has host bits set: did you mean 123.4.0.0/14?"] },
  // Routinator's golden outputs: one exception VRP and one ASPA object, each written twice; jsonext's source is a list of objects.
  "routinator-test-output-101.jsonext": { format: "routinator-json", vrps: 1, duplicates: 2, sources: ["exception"], aspas: 1 },
  "routinator-test-output-110.jsonext": { format: "routinator-json", vrps: 1, duplicates: 1, sources: ["exception"], warnings: [IGNORED(2, "BGPsec router keys")] },
  "routinator-test-output-111.bird2": { format: "bird2", vrps: 1, duplicates: 1, sources: ["import"] },
  "routinator-test-output-111.csv": { format: "routinator-csv", vrps: 1, duplicates: 1, sources: ["n/a"] },
  "routinator-test-output-111.csvext": { format: "routinator-csv", vrps: 1, duplicates: 1, sources: ["import"] },
  "routinator-test-output-111.json": { format: "routinator-json", vrps: 1, duplicates: 2, sources: ["n/a"], aspas: 1, warnings: [IGNORED(2, "BGPsec router keys")] },
  "routinator-test-output-111.jsonext": { format: "routinator-json", vrps: 1, duplicates: 2, sources: ["exception"], aspas: 1, warnings: [IGNORED(2, "BGPsec router keys")] },
  "routinator-test-output-111.slurm": { format: "slurm", vrps: 1, duplicates: 1, sources: ["slurm"], filters: 0, warnings: [IGNORED(2, "BGPsec filters and assertions")] },
  "routinator-test-output-111.slurm2": {
    format: "slurm",
    vrps: 1,
    duplicates: 1,
    sources: ["slurm"],
    filters: 0,
    warnings: [IGNORED(2, "BGPsec filters and assertions"), IGNORED(2, "ASPA filters and assertions")],
  },
  // RFC 8416's example, BGPsec filters and assertion included.
  "routinator-test-slurm-full.json": { format: "slurm", vrps: 2, duplicates: 0, sources: ["slurm"], filters: 3, warnings: [IGNORED(4, "BGPsec filters and assertions")] },
  // rpki-client -j: metadata counts describe the full run and are not trusted; ASPA objects per family (133 ipv4, 133 ipv6).
  "rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json": { format: "routinator-json", vrps: 1697, duplicates: 0, sources: ["ripe-prepdev-https"], aspas: 266 },
  "stayrtr-cmd-stayrtr-smalltest.rpki.json": { format: "routinator-json", vrps: 2, duplicates: 0, sources: ["apnic"] },
  "stayrtr-cmd-stayrtr-test.rpki.json": {
    format: "routinator-json",
    vrps: 19,
    duplicates: 0,
    sources: ["afrinic", "apnic", "lacnic", "lmao", "ripe"],
    aspas: 4,
    warnings: [IGNORED(3, "BGPsec router keys")],
  },
  "stayrtr-cmd-stayrtr-test.slurm.json": { format: "slurm", vrps: 1, duplicates: 0, sources: ["slurm"], filters: 1 },
  // "slurmVersion": 2 with only version 1 members.
  "stayrtr-prefixfile-slurm.json": { format: "slurm", vrps: 2, duplicates: 0, sources: ["slurm"], filters: 3, warnings: [IGNORED(4, "BGPsec filters and assertions")] },
};

describe("validator files as the tools write them", () => {
  it("has an expectation for every fixture file", () => {
    const files = readdirSync(FIXTURES).filter((name) => name !== "SOURCES.md");
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    const verdict = expected.issues ? "refused with the bad record named" : "read";
    it(`${name}: ${verdict}`, () => {
      const parsed = parseVrpFile(read(name));
      expect(parsed.format).toBe(expected.format);
      expect(parsed.issues.map(describeIssue)).toEqual(expected.issues ?? []);
      expect(parsed.vrps).toHaveLength(expected.vrps);
      expect(parsed.aspas).toHaveLength(expected.aspas ?? 0);
      expect(parsed.duplicates).toBe(expected.duplicates);
      expect([...new Set(parsed.vrps.map((vrp) => vrp.source))].sort()).toEqual(expected.sources);
      expect(parsed.filters).toHaveLength(expected.filters ?? 0);
      expect(parsed.warnings).toEqual(expected.warnings ?? []);
    });
  }

  it("reads records in full: rpki-client's first ROA with its line, its IPv6 ROAs, and SLURM v2's IPv6 assertion", () => {
    const rpkiClient = parseVrpFile(read("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json"));
    expect(rpkiClient.vrps[0]).toEqual({ prefix: "1.178.112.0/20", maxLength: 20, asn: 12975, source: "ripe-prepdev-https", line: 38, expiresAt: new Date(1683277596 * 1000) });
    expect(rpkiClient.vrps.filter((vrp) => vrp.prefix.includes(":"))).toHaveLength(402);
    const slurm = parseVrpFile(read("stayrtr-prefixfile-slurm.json"));
    expect(slurm.vrps.map(({ prefix, maxLength, asn }) => ({ prefix, maxLength, asn }))).toEqual([
      { prefix: "198.51.100.0/24", maxLength: 24, asn: 64496 },
      { prefix: "2001:db8::/32", maxLength: 48, asn: 64496 },
    ]);
    expect(slurm.filters).toEqual([
      { prefix: "192.0.2.0/24", asn: null, comment: "All VRPs encompassed by prefix" },
      { prefix: null, asn: 64496, comment: "All VRPs matching ASN" },
      { prefix: "198.51.100.0/24", asn: 64497, comment: "All VRPs encompassed by prefix, matching ASN" },
    ]);
  });

  it("reads ASPA objects in full: rpki-client's per family with expiry, Routinator's with its trust anchor, StayRTR's AS64496", () => {
    const rpkiClient = parseVrpFile(read("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json"));
    expect(rpkiClient.aspas[0]).toEqual({ customerAsn: 28, providerAsns: [41881, 61036, 204096], afi: "ipv4", ta: null, source: "import", expiresAt: new Date(1683277596 * 1000) });
    expect(rpkiClient.aspas.filter((aspa) => aspa.afi === "ipv6")).toHaveLength(133);
    // AS0 as the only provider: the customer has no upstream.
    expect(rpkiClient.aspas.at(-1)).toMatchObject({ customerAsn: 213155, providerAsns: [0], afi: "ipv6" });
    const routinator = { customerAsn: 1234, providerAsns: [1, 2, 3, 4], afi: null, expiresAt: null };
    expect(parseVrpFile(read("routinator-test-output-111.json")).aspas).toEqual([{ ...routinator, ta: "N/A", source: "n/a" }]);
    expect(parseVrpFile(read("routinator-test-output-111.jsonext")).aspas).toEqual([{ ...routinator, ta: "exception", source: "exception" }]);
    expect(parseVrpFile(read("routinator-test-output-101.jsonext")).aspas).toEqual([{ ...routinator, ta: "exception", source: "exception" }]);
    const stayrtr = parseVrpFile(read("stayrtr-cmd-stayrtr-test.rpki.json"));
    expect(stayrtr.aspas.filter((aspa) => aspa.customerAsn === 64496)).toEqual([
      { customerAsn: 64496, providerAsns: [1299, 6939, 7480, 32097, 50058, 61138], afi: "ipv4", ta: null, source: "import", expiresAt: null },
      { customerAsn: 64496, providerAsns: [1299, 6939, 7480, 32097, 50058, 61138], afi: "ipv6", ta: null, source: "import", expiresAt: null },
    ]);
  });
});
