import { describe, expect, it } from "vitest";
import { describeIssue, detectVrpFormat, parseVrpAsn, parseVrpFile } from "./vrp-parse";

describe("ASNs in VRP files", () => {
  it('accepts "AS2914", "as2914", "2914" and 2914, and AS0', () => {
    for (const input of ["AS2914", "as2914", " 2914 ", 2914]) expect(parseVrpAsn(input)).toEqual({ ok: true, asn: 2914 });
    expect(parseVrpAsn("AS0")).toEqual({ ok: true, asn: 0 });
    expect(parseVrpAsn(4294967295)).toEqual({ ok: true, asn: 4294967295 });
  });
  it("refuses fractions, negatives, words and ASNs past 32 bits", () => {
    for (const input of [2914.5, -1, "AS-1", "ASX", "4294967296", null, undefined, {}]) expect(parseVrpAsn(input).ok).toBe(false);
  });
});

describe("Routinator CSV", () => {
  const csv = ["ASN,IP Prefix,Max Length,Trust Anchor", "AS196615,93.175.147.0/24,24,ripe", "AS13335,2606:4700::/32,48,arin", "", "AS196615,93.175.147.0/24,24,ripe"].join("\n");

  it("reads each record with its line and trust anchor, counting duplicates once", () => {
    const parsed = parseVrpFile(csv);
    expect(parsed.format).toBe("routinator-csv");
    expect(parsed.issues).toEqual([]);
    expect(parsed.duplicates).toBe(1);
    expect(parsed.vrps).toEqual([
      { prefix: "93.175.147.0/24", maxLength: 24, asn: 196615, source: "ripe", line: 2 },
      { prefix: "2606:4700::/32", maxLength: 48, asn: 13335, source: "arin", line: 3 },
    ]);
  });

  it("reports every malformed line by number, with the reason", () => {
    const bad = ["ASN,IP Prefix,Max Length,Trust Anchor", "AS1,192.0.2.0/24,24,ripe", "ASfoo,192.0.2.0/24,24,ripe", "AS1,192.0.2.7/24,24,ripe", "AS1,192.0.2.0/24,23,ripe", "AS1,192.0.2.0/24", "AS1,192.0.2.0/24,24,manual"].join("\n");
    const parsed = parseVrpFile(bad);
    expect(parsed.vrps).toHaveLength(1);
    expect(parsed.issues.map(describeIssue)).toEqual([
      'line 3: asn "ASfoo" is not an AS number (0-4294967295, e.g. AS64500)',
      "line 4: 192.0.2.7/24 has host bits set: did you mean 192.0.2.0/24?",
      "line 5: max length 23 must be between the prefix length 24 and 32 for 192.0.2.0/24",
      "line 6: expected ASN,IP Prefix,Max Length[,Trust Anchor], found 2 fields",
      'line 7: trust anchor "manual" is reserved for the console\'s own ROAs',
    ]);
  });

  it("reads headerless files and reordered columns by the header's names, with a default source", () => {
    expect(parseVrpFile("64500,192.0.2.0/24,24\n", { defaultSource: "lab" }).vrps).toEqual([{ prefix: "192.0.2.0/24", maxLength: 24, asn: 64500, source: "lab", line: 1 }]);
    const reordered = parseVrpFile("IP Prefix,ASN,Max Length\n192.0.2.0/24,AS64500,25\n");
    expect(reordered.vrps[0]).toMatchObject({ prefix: "192.0.2.0/24", asn: 64500, maxLength: 25, source: "import" });
  });
});

describe("Routinator JSON", () => {
  const json = `{
  "metadata": { "generated": 1700000000 },
  "roas": [
    { "asn": "AS196615", "prefix": "93.175.147.0/24", "maxLength": 24, "ta": "ripe" },
    {
      "asn": "AS13335",
      "prefix": "2606:4700:8000::/32",
      "maxLength": 48,
      "ta": "arin"
    },
    { "asn": "AS1", "prefix": "10.0.0.0/8", "ta": "ripe" }
  ]
}`;

  it("names the line each bad record starts on", () => {
    const parsed = parseVrpFile(json);
    expect(parsed.format).toBe("routinator-json");
    expect(parsed.vrps).toEqual([{ prefix: "93.175.147.0/24", maxLength: 24, asn: 196615, source: "ripe", line: 4 }]);
    expect(parsed.issues.map(describeIssue)).toEqual(["line 5: 2606:4700:8000::/32 has host bits set: did you mean 2606:4700::/32?", "line 11: max length is missing"]);
  });

  it("names the line of a JSON syntax error", () => {
    const parsed = parseVrpFile('{\n  "roas": [\n    { "asn": 1, }\n  ]\n}');
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]!.line).toBe(3);
    expect(describeIssue(parsed.issues[0]!)).toBe("line 3: not valid JSON");
  });
});

describe("a generic JSON list", () => {
  it('takes asn as "AS2914", "2914" or 2914, and maxLength defaulting to the prefix length', () => {
    const parsed = parseVrpFile('[{"asn":"AS2914","prefix":"192.0.2.0/24","maxLength":24},\n{"asn":"2914","prefix":"198.51.100.0/24"},\n{"asn":2914,"prefix":"2001:db8::/32","maxLength":48}]');
    expect(parsed.format).toBe("generic-json");
    expect(parsed.issues).toEqual([]);
    expect(parsed.vrps.map((vrp) => [vrp.asn, vrp.prefix, vrp.maxLength, vrp.line])).toEqual([
      [2914, "192.0.2.0/24", 24, 1],
      [2914, "198.51.100.0/24", 24, 2],
      [2914, "2001:db8::/32", 48, 3],
    ]);
  });
  it("reports a record that is not an object", () => {
    expect(parseVrpFile('[\n  {"asn":1,"prefix":"192.0.2.0/24"},\n  "AS1 192.0.2.0/24"\n]').issues.map(describeIssue)).toEqual([
      'line 3: expected an object such as {"asn": "AS64500", "prefix": "192.0.2.0/24", "maxLength": 24}',
    ]);
  });
});

describe("SLURM (RFC 8416)", () => {
  const slurm = `{
  "slurmVersion": 1,
  "validationOutputFilters": {
    "prefixFilters": [
      { "prefix": "192.0.2.0/24", "comment": "All VRPs encompassed by prefix" },
      { "asn": 64496, "comment": "All VRPs matching ASN" },
      { "prefix": "198.51.100.0/24", "asn": 64497 }
    ],
    "bgpsecFilters": []
  },
  "locallyAddedAssertions": {
    "prefixAssertions": [
      { "asn": 64496, "prefix": "198.51.100.0/24", "comment": "My other important route" },
      { "asn": 64496, "prefix": "2001:DB8::/32", "maxPrefixLength": 48 }
    ],
    "bgpsecAssertions": []
  }
}`;

  it("reads the RFC's example: filters and assertions (source slurm)", () => {
    const parsed = parseVrpFile(slurm);
    expect(parsed.format).toBe("slurm");
    expect(parsed.issues).toEqual([]);
    expect(parsed.filters).toEqual([
      { prefix: "192.0.2.0/24", asn: null, comment: "All VRPs encompassed by prefix" },
      { prefix: null, asn: 64496, comment: "All VRPs matching ASN" },
      { prefix: "198.51.100.0/24", asn: 64497, comment: "" },
    ]);
    expect(parsed.vrps).toEqual([
      { prefix: "198.51.100.0/24", maxLength: 24, asn: 64496, source: "slurm", line: 13 },
      { prefix: "2001:db8::/32", maxLength: 48, asn: 64496, source: "slurm", line: 14 },
    ]);
  });

  it("reports an empty filter and a bad assertion by line", () => {
    const bad = slurm.replace('{ "asn": 64496, "comment": "All VRPs matching ASN" }', '{ "comment": "nothing" }').replace('"maxPrefixLength": 48', '"maxPrefixLength": 16');
    expect(parseVrpFile(bad).issues.map(describeIssue)).toEqual([
      "line 6: prefix filter 2 needs a prefix, an asn, or both",
      "line 14: prefix assertion 2: max length 16 must be between the prefix length 32 and 128 for 2001:db8::/32",
    ]);
  });

  it("is detected by its slurmVersion", () => {
    expect(detectVrpFormat(slurm)).toBe("slurm");
    expect(detectVrpFormat('{"roas":[]}')).toBe("routinator-json");
    expect(detectVrpFormat("  [")).toBe("generic-json");
    expect(detectVrpFormat("ASN,IP Prefix")).toBe("routinator-csv");
  });
});

describe("an export", () => {
  it("re-imports to the same VRPs, as CSV and as JSON", async () => {
    const { toRoutinatorCsv, toRoutinatorJson } = await import("./vrp-export");
    const vrps = [
      { prefix: "192.0.2.0/24", maxLength: 24, asn: 64500, source: "ripe" },
      { prefix: "2001:db8::/32", maxLength: 48, asn: 0, source: "arin" },
    ];
    const strip = (file: ReturnType<typeof parseVrpFile>) => file.vrps.map(({ line: _line, ...vrp }) => vrp);
    expect(strip(parseVrpFile(toRoutinatorCsv(vrps)))).toEqual(vrps);
    expect(strip(parseVrpFile(toRoutinatorJson(vrps, [], new Date())))).toEqual(vrps);
    // A ROA's expiry too, in JSON (CSV has no column for it).
    const expiring = [{ ...vrps[0]!, expiresAt: new Date(1790002800 * 1000) }, vrps[1]!];
    expect(strip(parseVrpFile(toRoutinatorJson(expiring, [], new Date())))).toEqual(expiring);
  });

  it("re-imports ASPA objects as JSON: family, expiry and source kept, the source named as the trust anchor when the file named none", async () => {
    const { toRoutinatorJson } = await import("./vrp-export");
    const aspas = [
      { customerAsn: 64500, providerAsns: [0], afi: "ipv6" as const, ta: null, source: "lab", expiresAt: new Date(1790002800 * 1000) },
      { customerAsn: 1234, providerAsns: [1, 2], afi: null, ta: "N/A", source: "n/a", expiresAt: null },
    ];
    const text = toRoutinatorJson([], aspas, new Date());
    expect(JSON.parse(text).aspas).toEqual([
      { customer: "AS64500", afi: "ipv6", providers: ["AS0"], ta: "lab", expires: 1790002800 },
      { customer: "AS1234", providers: ["AS1", "AS2"], ta: "N/A" },
    ]);
    expect(parseVrpFile(text, { defaultSource: "elsewhere" }).aspas).toEqual([{ ...aspas[0], ta: "lab" }, aspas[1]]);
  });
});

describe("the IPv4 fast path", () => {
  it("reads prefixes exactly as parseCidr does, errors included", async () => {
    const { parseCidr } = await import("../cidr");
    const { parseVrpFields } = await import("./vrp-parse");
    for (const text of ["0.0.0.0/0", "10.0.0.0/8", "192.0.2.0/24", "192.0.2.128/25", "255.255.255.255/32", "192.0.2.1/24", "192.0.2.0/33", "01.2.3.0/24", "256.0.0.0/8", "1.2.3/24", "128.0.0.0/1", "128.0.0.0/0"]) {
      const reference = parseCidr(text);
      const fast = parseVrpFields({ asn: 1, prefix: text, maxLength: 32 }, true);
      if (reference.ok) expect(fast, text).toEqual({ ok: true, prefix: reference.cidr.text, maxLength: 32, asn: 1 });
      else expect(fast, text).toEqual({ ok: false, error: reference.error });
    }
  });
});

describe("lines: false (the import's fast path)", () => {
  it("leaves good records without lines, and still names the line of a bad one", () => {
    const good = '[\n{"asn":1,"prefix":"192.0.2.0/24"},\n{"asn":2,"prefix":"198.51.100.0/24"}\n]';
    expect(parseVrpFile(good, { lines: false }).vrps.map((vrp) => vrp.line)).toEqual([null, null]);
    const bad = good.replace("198.51.100.0/24", "198.51.100.1/24");
    expect(parseVrpFile(bad, { lines: false }).issues.map(describeIssue)).toEqual(["line 3: 198.51.100.1/24 has host bits set: did you mean 198.51.100.0/24?"]);
  });
});

describe("Routinator jsonext", () => {
  it("takes the trust anchor from the source objects' tal, whatever the order, never [object Object]", () => {
    const roa = (source: unknown) => ({ asn: "AS64500", prefix: "192.0.2.0/24", maxLength: 24, source });
    const text = JSON.stringify({
      metadata: {},
      roas: [
        roa([{ type: "roa", uri: "rsync://rpki.ripe.net/repository/x.roa", validity: { notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z" }, chainValidity: {}, stale: "2027-01-01T00:00:00Z", tal: "ripe" }]),
        roa([{ type: "exception", path: null, line: 3 }, { type: "roa", tal: "arin" }]),
        roa([{ type: "exception", path: "/etc/routinator/local.slurm" }]),
      ],
    });
    const parsed = parseVrpFile(text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.vrps.map((vrp) => vrp.source)).toEqual(["ripe", "arin", "exception"]);
  });
});

describe("ASPA objects", () => {
  it("reads rpki-client's current aspas list, sorting and merging providers, with a Routinator afi", () => {
    const text = JSON.stringify({
      roas: [],
      aspas: [
        { customer_asid: 64500, expires: 1790002800, providers: [64502, 64501, 64502] },
        { customer: "AS64510", afi: "ipv6", providers: ["AS64511"], ta: "ripe" },
      ],
    });
    expect(parseVrpFile(text, { defaultSource: "lab" }).aspas).toEqual([
      { customerAsn: 64500, providerAsns: [64501, 64502], afi: null, ta: null, source: "lab", expiresAt: new Date(1790002800 * 1000) },
      { customerAsn: 64510, providerAsns: [64511], afi: "ipv6", ta: "ripe", source: "ripe", expiresAt: null },
    ]);
  });

  it("skips a malformed ASPA object with a warning naming its line, and still reads the file", () => {
    const text = `{
  "roas": [{ "asn": "AS64500", "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe" }],
  "provider_authorizations": {
    "ipv4": [
      { "customer_asid": 64500, "providers": [64501] },
      { "customer_asid": "ASx", "providers": [64501] }
    ],
    "ipv6": [{ "customer_asid": 0, "providers": [64501] }]
  },
  "aspas": [
    { "customer": "AS64500", "providers": [] },
    { "customer": "AS64500", "providers": ["AS1"], "expires": "soon" },
    { "customer": "AS64500", "providers": ["AS1"], "ta": "manual" }
  ]
}`;
    for (const lines of [true, false]) {
      const parsed = parseVrpFile(text, { lines });
      expect(parsed.issues).toEqual([]);
      expect(parsed.vrps).toHaveLength(1);
      expect(parsed.aspas.map((aspa) => [aspa.customerAsn, aspa.afi])).toEqual([[64500, "ipv4"]]);
      expect(parsed.warnings).toEqual([
        "5 malformed ASPA objects skipped",
        'line 6: ipv4 ASPA object skipped: customer: asn "ASx" is not an AS number (0-4294967295, e.g. AS64500)',
        "line 8: ipv6 ASPA object skipped: customer AS0 cannot authorise providers",
        "line 11: ASPA object skipped: providers is not a list of AS numbers",
        'line 12: ASPA object skipped: expires "soon" is not a time in seconds since 1970',
        'line 13: ASPA object skipped: trust anchor "manual" is reserved for the console\'s own ROAs',
      ]);
    }
  });
});
