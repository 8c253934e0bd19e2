import { describe, expect, it } from "vitest";
import { createPrefixLookup, resolveMeasurements, type FleetPop, type FleetPrefix } from "./resolve";
import type { ParsedMeasurement } from "./types";

const prefixes: FleetPrefix[] = [
  { id: 1, cidr: "192.0.2.0/24", service: "dns" },
  { id: 2, cidr: "192.0.2.128/25", service: "dns-b" },
  { id: 3, cidr: "2001:db8::/48", service: "dns" },
  { id: 4, cidr: "198.51.100.0/24", service: "cdn" },
];
const pops: FleetPop[] = [
  { id: 10, code: "AMS1", identities: ["ams1-*.ns.example"] },
  { id: 11, code: "FRA1", identities: ["fra1.ns.example"] },
];

const record = (overrides: Partial<ParsedMeasurement>): ParsedMeasurement => ({
  position: { index: 1 },
  source: "atlas",
  probeExternalId: "6001",
  target: "192.0.2.53",
  answer: "ams1-a.ns.example",
  popCode: null,
  rttMs: 12,
  measuredAt: new Date("2026-01-01T00:00:00Z"),
  ...overrides,
});

describe("createPrefixLookup", () => {
  const lookup = createPrefixLookup(prefixes);

  it("maps an address to the longest fleet prefix holding it", () => {
    expect(lookup("192.0.2.53")).toEqual({ ok: true, prefixId: 1 });
    expect(lookup("192.0.2.200")).toEqual({ ok: true, prefixId: 2 });
    expect(lookup("2001:db8::53")).toEqual({ ok: true, prefixId: 3 });
    expect(lookup("203.0.113.1")).toEqual({ ok: false, reason: "203.0.113.1 is in none of the fleet's prefixes" });
  });

  it("maps a CIDR exactly, after normalising it", () => {
    expect(lookup("2001:DB8:0::/48")).toEqual({ ok: true, prefixId: 3 });
    expect(lookup("192.0.2.0/23")).toEqual({ ok: false, reason: "192.0.2.0/23 is not one of the fleet's prefixes" });
    expect(lookup("192.0.2.7/24").ok).toBe(false);
  });

  it("maps a service with one prefix, and asks for the prefix when it has several", () => {
    expect(lookup("CDN")).toEqual({ ok: true, prefixId: 4 });
    expect(lookup("dns")).toEqual({ ok: false, reason: "service dns has 2 prefixes (192.0.2.0/24, 2001:db8::/48): name the prefix" });
    expect(lookup("mail")).toEqual({ ok: false, reason: "no prefix or service is called mail" });
  });

  it("uses the batch default for records naming nothing, else the only prefix, else refuses", () => {
    expect(createPrefixLookup(prefixes, "cdn")("")).toEqual({ ok: true, prefixId: 4 });
    expect(createPrefixLookup(prefixes, "cdn")("192.0.2.1")).toEqual({ ok: true, prefixId: 1 });
    expect(createPrefixLookup([prefixes[3]!])("")).toEqual({ ok: true, prefixId: 4 });
    expect(lookup("")).toMatchObject({ ok: false, reason: expect.stringContaining("names no prefix") });
  });
});

describe("resolveMeasurements", () => {
  it("matches answers to PoPs, keeps unmatched answers without a PoP, and names bad records", () => {
    const { resolved, issues } = resolveMeasurements(
      [
        record({ position: { index: 1 } }),
        record({ position: { index: 2 }, answer: "unknown.example" }),
        record({ position: { index: 3, line: 4 }, target: "203.0.113.9" }),
        record({ position: { index: 4 }, answer: null, popCode: "fra1", target: "cdn" }),
        record({ position: { index: 5 }, answer: null, popCode: "LHR9" }),
        record({ position: { index: 6 }, answer: "ams1-a\u0000.ns.example" }),
      ],
      { prefixes, pops },
    );
    expect(resolved.map(({ prefixId, popId, answer }) => ({ prefixId, popId, answer }))).toEqual([
      { prefixId: 1, popId: 10, answer: "ams1-a.ns.example" },
      { prefixId: 1, popId: null, answer: "unknown.example" },
      { prefixId: 4, popId: 11, answer: "FRA1" },
    ]);
    expect(issues).toEqual([
      { index: 3, line: 4, reason: "203.0.113.9 is in none of the fleet's prefixes" },
      { index: 5, reason: "pop LHR9 is not a PoP of this fleet" },
      { index: 6, reason: "the answer holds a NUL character" },
    ]);
  });
});
