import { describe, expect, it } from "vitest";
import { canonicalCidr, cidr, covers, parseCidr } from "./cidr";

describe("parseCidr", () => {
  it("normalises IPv4 and IPv6", () => {
    expect(parseCidr("192.0.2.0/24")).toMatchObject({ ok: true, cidr: { text: "192.0.2.0/24", family: 4, length: 24 } });
    expect(parseCidr(" 2001:0DB8:0053:0000::/48 ")).toMatchObject({ ok: true, cidr: { text: "2001:db8:53::/48", family: 6, length: 48 } });
    expect(parseCidr("0.0.0.0/0")).toMatchObject({ ok: true, cidr: { text: "0.0.0.0/0" } });
    expect(parseCidr("10.1.2.3/32")).toMatchObject({ ok: true, cidr: { text: "10.1.2.3/32" } });
    expect(canonicalCidr("2001:0db8:0100:0000::/48")).toBe("2001:db8:100::/48");
    expect(canonicalCidr("2001:db8::1/48")).toBeNull();
  });

  it("refuses host bits with a hint", () => {
    expect(parseCidr("198.51.100.7/24")).toEqual({ ok: false, error: "198.51.100.7/24 has host bits set: did you mean 198.51.100.0/24?" });
    expect(parseCidr("2001:db8::1/48")).toEqual({ ok: false, error: "2001:db8::1/48 has host bits set: did you mean 2001:db8::/48?" });
  });

  it("refuses what is not a prefix", () => {
    const bad = [
      "", "192.0.2.0", "192.0.2.0/33", "2001:db8::/129", "192.0.2/24", "10.0.0.256/24", "example.com/24", "192.0.2.0/-1",
      "192.0.2.0/2a", "192.0.2.0/024", "10.1/16", "010.0.0.0/8", "fe80::%eth0/64", "192.0.2.0/24/1",
    ];
    for (const text of bad) expect(parseCidr(text).ok, text).toBe(false);
    expect(parseCidr("10.1/16")).toEqual({ ok: false, error: "10.1 is not an IPv4 or IPv6 address." });
    expect(parseCidr("192.0.2.0/33")).toEqual({ ok: false, error: "/33 is not a valid IPv4 prefix length (0-32)." });
  });
});

describe("covers", () => {
  it("is true for equal and less specific prefixes of the same family only", () => {
    expect(covers(cidr("192.0.2.0/24"), cidr("192.0.2.0/24"))).toBe(true);
    expect(covers(cidr("192.0.0.0/16"), cidr("192.0.2.0/24"))).toBe(true);
    expect(covers(cidr("192.0.2.0/24"), cidr("192.0.0.0/16"))).toBe(false);
    expect(covers(cidr("198.51.100.0/24"), cidr("192.0.2.0/24"))).toBe(false);
    expect(covers(cidr("2001:db8::/32"), cidr("2001:db8:53::/48"))).toBe(true);
    expect(covers(cidr("0.0.0.0/0"), cidr("2001:db8::/32"))).toBe(false);
  });
});
