import { describe, expect, it } from "vitest";
import { cidr, covers, parseCidr } from "./cidr";

describe("parseCidr", () => {
  it("normalises IPv4 and IPv6", () => {
    expect(parseCidr("192.0.2.0/24")).toMatchObject({ ok: true, cidr: { text: "192.0.2.0/24", family: 4, length: 24 } });
    expect(parseCidr(" 2001:0DB8:0053:0000::/48 ")).toMatchObject({ ok: true, cidr: { text: "2001:db8:53::/48", family: 6, length: 48 } });
    expect(parseCidr("0.0.0.0/0")).toMatchObject({ ok: true, cidr: { text: "0.0.0.0/0" } });
  });

  it("refuses host bits with a hint", () => {
    expect(parseCidr("198.51.100.7/24")).toEqual({ ok: false, error: "198.51.100.7/24 has host bits set: did you mean 198.51.100.0/24?" });
    expect(parseCidr("2001:db8::1/48")).toEqual({ ok: false, error: "2001:db8::1/48 has host bits set: did you mean 2001:db8::/48?" });
  });

  it("refuses what is not a prefix", () => {
    for (const bad of ["", "192.0.2.0", "192.0.2.0/33", "2001:db8::/129", "192.0.2/24", "10.0.0.256/24", "example.com/24", "192.0.2.0/-1", "192.0.2.0/2a"]) {
      expect(parseCidr(bad).ok, bad).toBe(false);
    }
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
