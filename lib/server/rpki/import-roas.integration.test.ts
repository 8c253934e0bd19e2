import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prefixInput, roaInput } from "@/lib/domain/roas/prefix-roa-input";
import { effectiveVrps } from "@/lib/domain/roas/roa-import";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import type { Db } from "../db/create-client";
import { AppError } from "../errors";
import { popData } from "@/test/support/factories";

let test: TestDatabase;
let db: Db;
let modules: {
  importing: typeof import("./import-roas");
  roas: typeof import("./save-roa");
  prefixes: typeof import("../prefixes/save-prefix");
  validity: typeof import("./get-prefix-validity");
  fleetAspas: typeof import("./get-fleet-aspas");
};

const actor = { id: null, name: "tester" };

beforeAll(async () => {
  test = await createTestDatabase();
  db = test.db;
  process.env.DATABASE_URL = test.url;
  modules = {
    importing: await import("./import-roas"),
    roas: await import("./save-roa"),
    prefixes: await import("../prefixes/save-prefix"),
    validity: await import("./get-prefix-validity"),
    fleetAspas: await import("./get-fleet-aspas"),
  };
  const pop = await db.pop.create({ data: popData("AMS1", { name: "Amsterdam", city: "Amsterdam", longitude: 4 }) });
  const a = await modules.prefixes.createPrefix(db, prefixInput.parse({ cidr: "192.0.2.0/24", originAsn: "AS64500", service: "dns", safetyFloor: 1 }), actor, null);
  await modules.prefixes.createPrefix(db, prefixInput.parse({ cidr: "2001:db8::/48", originAsn: "64500", service: "dns", safetyFloor: 1 }), actor, null);
  await db.announcement.create({ data: { popId: pop.id, prefixId: a.id } });
  await modules.roas.createRoa(db, roaInput.parse({ prefix: "192.0.2.0/24", asn: "AS64511", maxLength: "24" }), actor, null);
});
afterAll(() => test.drop());

const options = (text: string, defaultSource = "import") => ({ text, defaultSource });
const validityOf = async (cidr: string) => {
  const prefix = await db.prefix.findUniqueOrThrow({ where: { cidr } });
  return (await modules.validity.getPrefixValidity(db)).get(prefix.id)!.validity;
};

describe("importing VRPs", () => {
  it("a dry run shows the diff and the validity changes, and writes nothing", async () => {
    const before = await db.roa.count();
    const preview = await modules.importing.previewImport(db, options("ASN,IP Prefix,Max Length,Trust Anchor\nAS64500,192.0.2.0/24,24,ripe\nAS64500,2001:db8::/32,48,ripe\n"));
    expect(preview.counts).toMatchObject({ added: 2, removed: 0, unchanged: 0 });
    expect(preview.sources).toEqual(["ripe"]);
    expect(preview.validityChanges.map((c) => [c.cidr, c.before, c.after, c.pops])).toEqual([
      ["192.0.2.0/24", "invalid_asn", "valid", 1],
      ["2001:db8::/48", "not_found", "valid", 0],
    ]);
    expect(await db.roa.count()).toBe(before);
    expect(await validityOf("192.0.2.0/24")).toBe("invalid_asn");
  });

  it("applies with the dry run's digest, in one go, audited", async () => {
    const text = "AS64500,192.0.2.0/24,24,ripe\nAS64500,2001:db8::/32,48,ripe\n";
    const preview = await modules.importing.previewImport(db, options(text));
    expect(await modules.importing.applyImport(db, options(text), preview.basisDigest, actor, "192.0.2.9")).toMatchObject({ added: 2, removed: 0, validityChanges: 2 });
    expect(await validityOf("192.0.2.0/24")).toBe("valid");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "roa.import" } });
    expect(event).toMatchObject({ actorName: "tester", ip: "192.0.2.9" });
    expect(event.detail).toMatchObject({ sources: ["ripe"], added: 2, validityChanges: [{ prefix: "192.0.2.0/24", before: "invalid_asn", after: "valid" }, { prefix: "2001:db8::/48" }] });
  });

  it("re-importing a smaller set of the same trust anchor removes what it lacks, and leaves manual ROAs", async () => {
    const text = "AS64500,192.0.2.0/24,24,ripe\n";
    const preview = await modules.importing.previewImport(db, options(text));
    expect(preview.counts).toMatchObject({ added: 0, removed: 1, unchanged: 1 });
    await modules.importing.applyImport(db, options(text), preview.basisDigest, actor, null);
    expect((await db.roa.findMany({ orderBy: { id: "asc" } })).map((roa) => [roa.prefix, roa.source])).toEqual([
      ["192.0.2.0/24", "manual"],
      ["192.0.2.0/24", "ripe"],
    ]);
  });

  it("refuses an apply when the ROAs changed since its dry run, changing nothing", async () => {
    const text = "AS64500,198.51.100.0/24,24,ripe\n";
    const preview = await modules.importing.previewImport(db, options(text));
    await modules.roas.createRoa(db, roaInput.parse({ prefix: "203.0.113.0/24", asn: "64500" }), actor, null);
    const count = await db.roa.count();
    const error = await modules.importing.applyImport(db, options(text), preview.basisDigest, actor, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("conflict");
    expect(await db.roa.count()).toBe(count);
  });

  it("refuses a file with a bad line, naming it, and writes nothing", async () => {
    const count = await db.roa.count();
    const error = (await modules.importing.previewImport(db, options("AS1,192.0.2.0/24,24,ripe\nAS1,192.0.2.5/24,24,ripe\n")).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("invalid_input");
    expect(error.fieldErrors?.file).toEqual(["line 2: 192.0.2.5/24 has host bits set: did you mean 192.0.2.0/24?"]);
    expect(await db.roa.count()).toBe(count);
  });

  it("is atomic: a failure part-way through the apply leaves the stored set as it was", async () => {
    const stored = await db.roa.findMany({ orderBy: { id: "asc" } });
    // 25,000 VRPs (more than one insert chunk) of which the last breaks a database constraint
    // the parser cannot see: a check constraint added for this test only.
    await db.$executeRawUnsafe("ALTER TABLE roa ADD CONSTRAINT test_no_asn_77 CHECK (asn <> 77)");
    const lines = Array.from({ length: 25_000 }, (_, i) => `AS64500,10.${Math.floor(i / 256)}.${i % 256}.0/24,24,ripe`);
    lines.push("AS77,172.16.0.0/24,24,ripe");
    const text = lines.join("\n");
    const preview = await modules.importing.previewImport(db, options(text));
    expect(preview.counts.added).toBe(25_001);
    expect(preview.counts.removed).toBe(1);
    await expect(modules.importing.applyImport(db, options(text), preview.basisDigest, actor, null)).rejects.toThrow();
    await db.$executeRawUnsafe("ALTER TABLE roa DROP CONSTRAINT test_no_asn_77");
    expect(await db.roa.findMany({ orderBy: { id: "asc" } })).toEqual(stored);
  });

  it("SLURM filters hide validator ROAs; assertions add ROAs; manual ROAs are never filtered", async () => {
    const slurm = JSON.stringify({
      slurmVersion: 1,
      validationOutputFilters: { prefixFilters: [{ prefix: "192.0.2.0/24", comment: "hide ripe's" }], bgpsecFilters: [] },
      locallyAddedAssertions: { prefixAssertions: [{ asn: 64500, prefix: "2001:db8::/48" }], bgpsecAssertions: [] },
    });
    const preview = await modules.importing.previewImport(db, options(slurm));
    expect(preview.counts).toMatchObject({ added: 1, filtersBefore: 0, filtersAfter: 1 });
    // The ripe ROA validated 192.0.2.0/24; filtered, only the manual AS64511 ROA is left: invalid.
    expect(preview.validityChanges.map((c) => [c.cidr, c.after])).toEqual([["192.0.2.0/24", "invalid_asn"], ["2001:db8::/48", "valid"]]);
    await modules.importing.applyImport(db, options(slurm), preview.basisDigest, actor, null);
    expect(await validityOf("192.0.2.0/24")).toBe("invalid_asn");
    expect(await db.slurmFilter.count()).toBe(1);
  });
});

describe("ROAs and prefixes typed in the console", () => {
  it("an imported ROA cannot be edited or deleted there", async () => {
    const imported = await db.roa.findFirstOrThrow({ where: { source: "ripe" } });
    const error = (await modules.roas.deleteRoa(db, imported.id, actor, null).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("refused");
  });

  it("a prefix still announced, or named by an operation, is refused with the reason, not a 500", async () => {
    const announced = await db.prefix.findUniqueOrThrow({ where: { cidr: "192.0.2.0/24" } });
    const error = (await modules.prefixes.deletePrefix(db, announced.id, actor, null).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe("conflict");
    expect(error.message).toBe("192.0.2.0/24 is still configured at 1 PoP: withdraw it and remove it from those PoPs first.");
    const other = await db.prefix.findUniqueOrThrow({ where: { cidr: "2001:db8::/48" } });
    const user = await db.user.create({ data: { username: "op", name: "Op", role: "operator" } });
    await db.operation.create({ data: { kind: "drain", status: "succeeded", prefixId: other.id, reason: "test", requestedById: user.id, verdict: {}, plan: [] } });
    const refused = (await modules.prefixes.deletePrefix(db, other.id, actor, null).catch((e: unknown) => e)) as AppError;
    expect(refused.message).toContain("recorded operation");
    const unused = await modules.prefixes.createPrefix(db, prefixInput.parse({ cidr: "198.51.100.0/24", originAsn: 64500, service: "cdn", safetyFloor: 1 }), actor, null);
    await modules.prefixes.deletePrefix(db, unused.id, actor, null);
    expect(await db.prefix.findUnique({ where: { id: unused.id } })).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "prefix.delete" } })).toBe(1);
  });
});

describe("a dry run of files validators write (../shared/fixtures/rpki)", () => {
  const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, "../../../../shared/fixtures/rpki", name), "utf8");

  it("reads Routinator's json and RFC 8416's SLURM example, counting the parts it does not use in warnings", async () => {
    const json = await modules.importing.previewImport(db, options(fixture("routinator-test-output-111.json")));
    expect(json.sources).toEqual(["n/a"]);
    // One ROA and one ASPA object, each written twice.
    expect(json.counts).toMatchObject({ added: 1, duplicates: 2, aspasBefore: 0, aspasAfter: 1 });
    expect(json.warnings).toEqual(["2 BGPsec router keys ignored: Catchment validates route origins only"]);
    expect(json.expired).toBeNull();
    const slurm = await modules.importing.previewImport(db, options(fixture("routinator-test-slurm-full.json")));
    expect(slurm.counts).toMatchObject({ added: 2, filtersAfter: 3 });
    expect(slurm.warnings).toEqual(["4 BGPsec filters and assertions ignored: Catchment validates route origins only"]);
  });

  it("imports rpki-client's 2023 excerpt as it is: each ROA with its expiry, the dry run saying they expired, none validating", async () => {
    const text = fixture("rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json");
    try {
      const preview = await modules.importing.previewImport(db, options(text, "prepdev"));
      expect(preview.counts).toMatchObject({ added: 1697, removed: 0, aspasAfter: 266 });
      expect(preview.expired).toEqual({ count: 1697, total: 1697, latest: expect.stringMatching(/^2023-05-0\d/) });
      await modules.importing.applyImport(db, options(text, "prepdev"), preview.basisDigest, actor, null);
      const first = await db.roa.findFirstOrThrow({ where: { prefix: "1.178.112.0/20", source: "ripe-prepdev-https" } });
      expect(first.expiresAt).toEqual(new Date(1683277596 * 1000));
      expect(await db.roa.count({ where: { source: "ripe-prepdev-https", expiresAt: null } })).toBe(0);
      const stored = (await db.roa.findMany({ where: { source: "ripe-prepdev-https" } })).map((roa) => ({ ...roa, asn: Number(roa.asn) }));
      expect(effectiveVrps(stored, [], new Date()).vrps).toEqual([]);

      // The next export moves the expiry: the ROA is updated in place, not removed and added.
      const moved = text.replace('"expires": 1683277596', '"expires": 4102444800');
      const again = await modules.importing.previewImport(db, options(moved, "prepdev"));
      expect(again.counts).toMatchObject({ added: 0, removed: 0, unchanged: 1697 });
      expect(again.expired).toMatchObject({ count: 1696, total: 1697 });
      await modules.importing.applyImport(db, options(moved, "prepdev"), again.basisDigest, actor, null);
      expect(await db.roa.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ expiresAt: new Date(4102444800 * 1000) });
      const event = await db.auditEvent.findFirstOrThrow({ where: { action: "roa.import" }, orderBy: { id: "desc" } });
      expect(event.detail).toMatchObject({ added: 0, removed: 0, unchanged: 1697, expiryChanged: 1 });
    } finally {
      await db.roa.deleteMany({ where: { source: "ripe-prepdev-https" } });
      await db.aspa.deleteMany({ where: { source: "prepdev" } });
    }
  });
});

describe("importing ASPA objects", () => {
  const roa = (prefix: string) => ({ asn: "AS64500", prefix, maxLength: 24, ta: "lab" });
  const aspa = (customer: number, ...providers: number[]) => ({ customer: `AS${customer}`, providers: providers.map((asn) => `AS${asn}`), ta: "lab" });
  const routinator = (roas: object[], aspas: object[]) => JSON.stringify({ metadata: {}, roas, aspas });
  const stored = async () => (await db.aspa.findMany({ orderBy: { id: "asc" } })).map((row) => `${row.source} AS${row.customerAsn} ${row.providerAsns.join(",")} ${row.afi ?? "-"}`);
  const apply = async (text: string, defaultSource = "import") => {
    const preview = await modules.importing.previewImport(db, options(text, defaultSource));
    return { preview, result: await modules.importing.applyImport(db, options(text, defaultSource), preview.basisDigest, actor, null) };
  };

  it("replaces the ASPA objects of the sources an import replaces, leaving other sources', and CSV leaves them all", async () => {
    await apply(routinator([roa("203.0.113.0/24")], [aspa(64500, 64511, 64510)]));
    // rpki-client's older output: no trust anchor on ASPA objects, so they go to the source given.
    await apply(JSON.stringify({ roas: [], provider_authorizations: { ipv4: [{ customer_asid: 64500, expires: 1790002800, providers: [64520] }], ipv6: [] } }), "rpki-client");
    expect(await stored()).toEqual(["lab AS64500 64510,64511 -", "rpki-client AS64500 64520 ipv4"]);
    expect((await db.aspa.findFirstOrThrow({ where: { source: "rpki-client" } })).expiresAt).toEqual(new Date(1790002800 * 1000));

    const { preview, result } = await apply(routinator([roa("203.0.113.0/24")], [aspa(64500, 64512), aspa(64501, 64510)]));
    expect(preview.counts).toMatchObject({ unchanged: 1, aspasBefore: 1, aspasAfter: 2 });
    expect(result.aspas).toBe(2);
    expect(await stored()).toEqual(["rpki-client AS64500 64520 ipv4", "lab AS64500 64512 -", "lab AS64501 64510 -"]);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "roa.import" }, orderBy: { id: "desc" } });
    expect(event.detail).toMatchObject({ sources: ["lab"], aspas: { removed: 1, added: 2 } });

    await apply("AS64500,203.0.113.0/24,24,lab\n");
    expect(await stored()).toHaveLength(3);
  });

  it("the RPKI page lists those whose customer is a fleet origin (AS64500), and counts all", async () => {
    const { origins, aspas, total } = await modules.fleetAspas.getFleetAspas(test.db);
    expect(origins).toEqual([64500]);
    expect(aspas.map((a) => [a.customerAsn, a.providerAsns, a.source])).toEqual([
      [64500, [64512], "lab"],
      [64500, [64520], "rpki-client"],
    ]);
    expect(total).toBe(3);
  });

  it("is all or nothing: an ASPA object the database refuses leaves ROAs and ASPA objects as they were", async () => {
    const roas = await db.roa.findMany({ orderBy: { id: "asc" } });
    const aspas = await db.aspa.findMany({ orderBy: { id: "asc" } });
    await db.$executeRawUnsafe("ALTER TABLE aspa ADD CONSTRAINT test_no_customer_77 CHECK (customer_asn <> 77)");
    const text = routinator([roa("198.18.0.0/24")], [aspa(64500, 64513), aspa(77, 64510)]);
    const preview = await modules.importing.previewImport(db, options(text));
    expect(preview.counts).toMatchObject({ added: 1, removed: 1, aspasBefore: 2, aspasAfter: 2 });
    await expect(modules.importing.applyImport(db, options(text), preview.basisDigest, actor, null)).rejects.toThrow();
    await db.$executeRawUnsafe("ALTER TABLE aspa DROP CONSTRAINT test_no_customer_77");
    expect(await db.roa.findMany({ orderBy: { id: "asc" } })).toEqual(roas);
    expect(await db.aspa.findMany({ orderBy: { id: "asc" } })).toEqual(aspas);
  });
});
