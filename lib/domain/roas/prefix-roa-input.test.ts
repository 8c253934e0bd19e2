import { describe, expect, it } from "vitest";
import { cidr } from "../cidr";
import { prefixInput, prefixWarnings, roaInput, roaWarnings } from "./prefix-roa-input";

const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]));

describe("prefix input", () => {
  it("normalises the prefix and takes the ASN in every spelling", () => {
    const parsed = prefixInput.parse({ cidr: " 2001:DB8:0::/48 ", originAsn: "AS64500", service: "DNS", safetyFloor: "2" });
    expect(parsed).toMatchObject({ originAsn: 64500, service: "dns", safetyFloor: 2, description: "" });
    expect(parsed.cidr.text).toBe("2001:db8::/48");
  });
  it("refuses host bits with the 'did you mean' hint, ASN 0 and a floor of 0", () => {
    expect(errorsOf(prefixInput.safeParse({ cidr: "198.51.100.7/24", originAsn: "0", service: "dns", safetyFloor: "0" }))).toEqual({
      cidr: "198.51.100.7/24 has host bits set: did you mean 198.51.100.0/24?",
      originAsn: "An ASN is between 1 and 4294967295.",
      safetyFloor: "The safety floor is a whole number of PoPs, 1 to 1000.",
    });
  });
  it("warns (without refusing) on more-specifics than /24 or /48 and on private ASNs", () => {
    expect(prefixWarnings(cidr("192.0.2.0/25"), 64512)).toEqual([
      "192.0.2.0/25 is more specific than /24: most networks filter such announcements, so it will not be reachable from much of the internet.",
      "AS64512 is a private or reserved ASN: announced toward the internet it is filtered; strip it at your upstreams or use a public ASN.",
    ]);
    expect(prefixWarnings(cidr("2001:db8::/49"), 2914)).toHaveLength(1);
    expect(prefixWarnings(cidr("2001:db8::/48"), 2914)).toEqual([]);
  });
});

describe("ROA input", () => {
  it("defaults maxLength to the prefix length and allows AS0", () => {
    const parsed = roaInput.parse({ prefix: "192.0.2.0/24", asn: "AS0", maxLength: "" });
    expect(parsed).toMatchObject({ asn: 0, maxLength: 24, expiresAt: null });
  });
  it("keeps maxLength between the prefix length and 32 or 128", () => {
    expect(errorsOf(roaInput.safeParse({ prefix: "192.0.2.0/24", asn: "1", maxLength: "23" }))).toEqual({ maxLength: "Max length must be between the prefix length 24 and 32." });
    expect(errorsOf(roaInput.safeParse({ prefix: "2001:db8::/32", asn: "1", maxLength: "129" }))).toEqual({ maxLength: "Max length must be between the prefix length 32 and 128." });
    expect(roaInput.parse({ prefix: "2001:db8::/32", asn: "1", maxLength: "128" }).maxLength).toBe(128);
  });
  it("warns about a loose maxLength", () => {
    expect(roaWarnings({ prefix: cidr("192.0.0.0/22"), asn: 64500, maxLength: 24 })[0]).toContain("invites a forged-origin sub-prefix hijack");
    expect(roaWarnings({ prefix: cidr("192.0.2.0/24"), asn: 2914, maxLength: 24 })).toEqual([]);
  });
});
