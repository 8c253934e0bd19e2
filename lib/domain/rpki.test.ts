import { describe, expect, it } from "vitest";
import { cidr } from "./cidr";
import { validateOrigin, type Vrp } from "./rpki";

const vrp = (prefix: string, maxLength: number, asn: number): Vrp => ({ prefix: cidr(prefix), maxLength, asn });

describe("validateOrigin (RFC 6811)", () => {
  it("exact match is valid", () => {
    const result = validateOrigin(cidr("192.0.2.0/24"), 64500, [vrp("192.0.2.0/24", 24, 64500)]);
    expect(result.validity).toBe("valid");
    expect(result.matching).toHaveLength(1);
  });

  it("a less specific ROA covers the route up to its maxLength", () => {
    expect(validateOrigin(cidr("192.0.2.0/24"), 64500, [vrp("192.0.0.0/16", 24, 64500)]).validity).toBe("valid");
    expect(validateOrigin(cidr("192.0.2.0/24"), 64500, [vrp("192.0.0.0/16", 16, 64500)]).validity).toBe("invalid_length");
  });

  it("the maxLength boundary: equal is valid, one longer is invalid", () => {
    const roas = [vrp("192.0.2.0/23", 24, 64500)];
    expect(validateOrigin(cidr("192.0.2.0/24"), 64500, roas).validity).toBe("valid");
    expect(validateOrigin(cidr("192.0.2.0/25"), 64500, roas).validity).toBe("invalid_length");
  });

  it("another ASN is invalid (asn)", () => {
    expect(validateOrigin(cidr("192.0.2.0/24"), 64501, [vrp("192.0.2.0/24", 24, 64500)]).validity).toBe("invalid_asn");
  });

  it("several covering ROAs: one match is enough", () => {
    const roas = [vrp("192.0.2.0/24", 24, 64999), vrp("192.0.0.0/16", 20, 64500), vrp("192.0.2.0/24", 24, 64500)];
    const result = validateOrigin(cidr("192.0.2.0/24"), 64500, roas);
    expect(result.validity).toBe("valid");
    expect(result.covering).toHaveLength(3);
    expect(result.matching).toEqual([roas[2]]);
  });

  it("an AS0 ROA makes covered routes invalid and never matches", () => {
    expect(validateOrigin(cidr("192.0.2.0/24"), 64500, [vrp("192.0.2.0/24", 32, 0)]).validity).toBe("invalid_asn");
    expect(validateOrigin(cidr("192.0.2.0/24"), 0, [vrp("192.0.2.0/24", 32, 0)]).validity).toBe("invalid_asn");
  });

  it("no covering ROA is not found; a more specific ROA does not cover", () => {
    expect(validateOrigin(cidr("192.0.2.0/24"), 64500, []).validity).toBe("not_found");
    expect(validateOrigin(cidr("192.0.2.0/24"), 64500, [vrp("192.0.2.0/25", 25, 64500)]).validity).toBe("not_found");
  });

  it("IPv6, and families never mix", () => {
    const roas = [vrp("2001:db8::/32", 48, 64500), vrp("192.0.2.0/24", 24, 64500)];
    expect(validateOrigin(cidr("2001:db8:53::/48"), 64500, roas).validity).toBe("valid");
    expect(validateOrigin(cidr("2001:db8:53:1::/64"), 64500, roas).validity).toBe("invalid_length");
    expect(validateOrigin(cidr("2001:db9::/48"), 64500, roas).validity).toBe("not_found");
  });
});
