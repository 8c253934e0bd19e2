import { describe, expect, it } from "vitest";
import { cidr } from "../cidr";
import { applyPlanToSet, effectiveVrps, expiredInFile, planImport, roaSetDigest, validityChanges, type StoredAspa, type StoredRoa } from "./roa-import";
import { VrpIndex } from "./vrp-index";
import { parseVrpFile } from "./vrp-parse";

const stored: StoredRoa[] = [
  { id: 1, prefix: "192.0.2.0/24", maxLength: 24, asn: 64500, source: "ripe", expiresAt: null },
  { id: 2, prefix: "198.51.100.0/24", maxLength: 24, asn: 64500, source: "ripe", expiresAt: null },
  { id: 3, prefix: "203.0.113.0/24", maxLength: 24, asn: 64500, source: "arin", expiresAt: null },
  { id: 4, prefix: "192.0.2.0/24", maxLength: 24, asn: 64501, source: "manual", expiresAt: null },
];

describe("planning an import", () => {
  it("replaces only the trust anchors the file names, and never manual ROAs", () => {
    const plan = planImport(stored, [], [], parseVrpFile("AS64500,192.0.2.0/24,24,ripe\nAS64502,2001:db8::/32,48,ripe\n"), "import");
    expect(plan.sources).toEqual(["ripe"]);
    expect(plan.added.map((vrp) => vrp.prefix)).toEqual(["2001:db8::/32"]);
    expect(plan.removed.map((roa) => roa.id)).toEqual([2]);
    expect(plan.unchanged).toBe(1);
  });

  it("a file without trust anchors replaces the source the operator names", () => {
    const plan = planImport(stored, [], [], parseVrpFile('[{"asn":64500,"prefix":"203.0.113.0/24"}]', { defaultSource: "arin" }), "arin");
    expect(plan).toMatchObject({ sources: ["arin"], added: [], removed: [], unchanged: 1 });
  });

  it("keeps the expiry a file gives: a ROA named again with another expiry is updated in place, an expired one stored but not validating", () => {
    const expires = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
    const file = JSON.stringify({
      roas: [
        { asn: 64500, prefix: "192.0.2.0/24", maxLength: 24, ta: "ripe", expires: expires("2027-01-01T00:00:00Z") },
        { asn: 64500, prefix: "198.51.100.0/24", maxLength: 24, ta: "ripe" },
        { asn: 64502, prefix: "198.18.0.0/15", maxLength: 15, ta: "ripe", expires: expires("2021-05-22T00:00:00Z") },
      ],
    });
    const plan = planImport(stored, [], [], parseVrpFile(file), "import");
    expect(plan).toMatchObject({ unchanged: 2, removed: [], expiryChanged: [{ id: 1, expiresAt: new Date("2027-01-01T00:00:00Z") }] });
    expect(plan.added).toEqual([expect.objectContaining({ prefix: "198.18.0.0/15", expiresAt: new Date("2021-05-22T00:00:00Z") })]);
    const after = applyPlanToSet(stored, plan);
    expect(after.find((roa) => roa.id === 1)!.expiresAt).toEqual(new Date("2027-01-01T00:00:00Z"));
    const now = new Date("2026-12-05T12:00:00Z");
    expect(effectiveVrps(after, [], now).expired.map((roa) => roa.prefix)).toEqual(["198.18.0.0/15"]);
    expect(expiredInFile(parseVrpFile(file), now)).toEqual({ count: 1, latest: new Date("2021-05-22T00:00:00Z") });
    // The same file again changes nothing; one without the expiry takes it away.
    const storedAfter = after.map((roa, index) => ({ ...roa, id: roa.id > 0 ? roa.id : 100 + index }));
    expect(planImport(storedAfter, [], [], parseVrpFile(file), "import")).toMatchObject({ unchanged: 3, added: [], removed: [], expiryChanged: [] });
    const withoutExpiry = parseVrpFile("AS64500,192.0.2.0/24,24,ripe\nAS64500,198.51.100.0/24,24,ripe\nAS64502,198.18.0.0/15,15,ripe\n");
    expect(planImport(storedAfter, [], [], withoutExpiry, "import").expiryChanged.map((change) => change.expiresAt)).toEqual([null, null]);
  });

  it("SLURM replaces the slurm assertions and the filter set", () => {
    const slurm = '{"slurmVersion":1,"validationOutputFilters":{"prefixFilters":[{"asn":64500}],"bgpsecFilters":[]},"locallyAddedAssertions":{"prefixAssertions":[{"asn":64510,"prefix":"192.0.2.0/24"}],"bgpsecAssertions":[]}}';
    const plan = planImport(stored, [], [], parseVrpFile(slurm), "import");
    expect(plan.sources).toEqual(["slurm"]);
    expect(plan.added).toEqual([expect.objectContaining({ asn: 64510, source: "slurm" })]);
    expect(plan.filters).toEqual({ before: [], after: [{ prefix: null, asn: 64500, comment: "" }] });
  });

  it("validator JSON replaces the ASPA objects of the sources it replaces; other formats leave them", () => {
    const aspa = (id: number, source: string): StoredAspa => ({ id, customerAsn: 64500, providerAsns: [64510], afi: null, ta: source, source, expiresAt: null });
    const storedAspas = [aspa(1, "ripe"), aspa(2, "arin"), aspa(3, "import")];
    const json = JSON.stringify({ roas: [{ asn: "AS64500", prefix: "192.0.2.0/24", maxLength: 24, ta: "ripe" }], aspas: [{ customer_asid: 64500, providers: [64511] }] });
    // The ASPA object names no trust anchor: it goes to the import's source, which is replaced too.
    const plan = planImport(stored, [], storedAspas, parseVrpFile(json), "import");
    expect(plan.sources).toEqual(["import", "ripe"]);
    expect(plan.aspas?.removed.map((a) => a.id)).toEqual([1, 3]);
    expect(plan.aspas?.added).toEqual([expect.objectContaining({ customerAsn: 64500, providerAsns: [64511], source: "import" })]);
    expect(planImport(stored, [], storedAspas, parseVrpFile("AS64500,192.0.2.0/24,24,ripe\n"), "import").aspas).toBeNull();
  });

  it("an ASPA object's source never widens which ROAs are replaced", () => {
    // ROAs an earlier file without trust anchors stored under "import": rpki-client's ASPA
    // objects, which name no trust anchor, land in "import" too, and must not take them away.
    const withImported = [...stored, { id: 5, prefix: "198.18.0.0/15", maxLength: 15, asn: 64502, source: "import", expiresAt: null }];
    const json = JSON.stringify({ roas: [{ asn: "AS64500", prefix: "192.0.2.0/24", maxLength: 24, ta: "ripe" }], aspas: [{ customer_asid: 64500, providers: [64511] }] });
    const plan = planImport(withImported, [], [], parseVrpFile(json), "import");
    expect(plan.removed.map((roa) => roa.id)).toEqual([2]);
    // A file of ASPA objects alone touches no ROA.
    const aspasOnly = planImport(withImported, [], [], parseVrpFile(JSON.stringify({ roas: [], aspas: [{ customer_asid: 64500, providers: [64511] }] })), "import");
    expect(aspasOnly).toMatchObject({ removed: [], added: [], sources: ["import"] });
  });
});

describe("the effective VRP set", () => {
  it("leaves out expired ROAs, and validator ROAs a SLURM filter matches (never manual or slurm ones)", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const roas: StoredRoa[] = [
      ...stored,
      { id: 5, prefix: "192.0.2.0/25", maxLength: 25, asn: 64500, source: "slurm", expiresAt: null },
      { id: 6, prefix: "10.0.0.0/8", maxLength: 8, asn: 64500, source: "ripe", expiresAt: new Date("2025-12-31T00:00:00Z") },
    ];
    const { vrps, filtered, expired } = effectiveVrps(roas, [{ prefix: "192.0.0.0/16", asn: null, comment: "" }, { prefix: null, asn: 64500, comment: "" }], now);
    expect(vrps.map((vrp) => vrp.roa.id)).toEqual([4, 5]);
    expect(filtered.map((roa) => roa.id)).toEqual([1, 2, 3]);
    expect(expired.map((roa) => roa.id)).toEqual([6]);
  });
});

describe("the digest of the stored set", () => {
  it("is the same in any order and changes with any ROA, its id, a filter or an ASPA object", () => {
    const digest = roaSetDigest(stored, [], []);
    expect(roaSetDigest([...stored].reverse(), [], [])).toBe(digest);
    expect(roaSetDigest([...stored.slice(0, 3), { ...stored[3]!, id: 9 }], [], [])).not.toBe(digest);
    expect(roaSetDigest(stored.slice(1), [], [])).not.toBe(digest);
    expect(roaSetDigest([{ ...stored[0]!, maxLength: 25 }, ...stored.slice(1)], [], [])).not.toBe(digest);
    expect(roaSetDigest(stored, [{ prefix: null, asn: 1, comment: "" }], [])).not.toBe(digest);
    expect(roaSetDigest(stored, [], [{ id: 1, customerAsn: 64500, providerAsns: [64510], afi: null, ta: null, source: "import", expiresAt: null }])).not.toBe(digest);
  });
});

describe("validity changes", () => {
  it("names the fleet routes whose validity the import changes", () => {
    const now = new Date();
    const plan = planImport(stored, [], [], parseVrpFile("AS64500,192.0.2.0/24,24,ripe\n"), "import");
    const before = new VrpIndex(effectiveVrps(stored, [], now).vrps);
    const after = new VrpIndex(effectiveVrps(applyPlanToSet(stored, plan), [], now).vrps);
    const routes = [
      { prefixId: 1, cidr: "192.0.2.0/24", originAsn: 64500, pops: 3 },
      { prefixId: 2, cidr: "198.51.100.0/24", originAsn: 64500, pops: 2 },
    ];
    expect(validityChanges(routes, before, after)).toEqual([{ ...routes[1], before: "valid", after: "not_found" }]);
    expect(before.validate(cidr("192.0.2.0/24"), 64500).validity).toBe("valid");
  });
});
