import { describe, expect, it } from "vitest";
import { cidr, type Cidr } from "../cidr";
import { validateOrigin, type Vrp } from "../rpki";
import { VrpIndex, coveringPrefixTexts } from "./vrp-index";

// A small deterministic generator, so a failure reproduces.
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function prefixAt(family: 4 | 6, bits: bigint, length: number): Cidr {
  const total = family === 4 ? 32 : 128;
  const network = length === 0 ? 0n : (bits >> BigInt(total - length)) << BigInt(total - length);
  if (family === 4) {
    const bytes = [24n, 16n, 8n, 0n].map((shift) => Number((network >> shift) & 0xffn));
    return cidr(`${bytes.join(".")}/${length}`);
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((network >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return cidr(`${groups.join(":")}/${length}`);
}

describe("the VRP index", () => {
  it("gives exactly validateOrigin's verdict and covering set, for 3,000 random routes against 2,000 random VRPs", () => {
    const next = random(42);
    // A narrow address space (the top 12 bits vary) so routes and VRPs overlap often.
    const bitsIn = (family: 4 | 6) => {
      const total = family === 4 ? 32 : 128;
      return (BigInt(Math.floor(next() * 4096)) << BigInt(total - 12)) | (BigInt(Math.floor(next() * 2 ** 20)) << BigInt(total - 32));
    };
    const vrps: Vrp[] = [];
    for (let i = 0; i < 2000; i++) {
      const family = next() < 0.7 ? 4 : 6;
      const length = family === 4 ? 8 + Math.floor(next() * 17) : 16 + Math.floor(next() * 33);
      const prefix = prefixAt(family, bitsIn(family), length);
      const maxLength = Math.min(family === 4 ? 32 : 128, length + Math.floor(next() * 4));
      vrps.push({ prefix, maxLength, asn: next() < 0.05 ? 0 : 64500 + Math.floor(next() * 5) });
    }
    const index = new VrpIndex(vrps);
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const family = next() < 0.7 ? 4 : 6;
      const length = family === 4 ? 8 + Math.floor(next() * 20) : 16 + Math.floor(next() * 40);
      const route = prefixAt(family, bitsIn(family), length);
      const asn = 64500 + Math.floor(next() * 5);
      const reference = validateOrigin(route, asn, vrps);
      const fast = index.validate(route, asn);
      seen.add(reference.validity);
      expect(fast.validity).toBe(reference.validity);
      expect(new Set(fast.covering)).toEqual(new Set(reference.covering));
      expect(new Set(fast.matching)).toEqual(new Set(reference.matching));
    }
    // The sample is worth something only if it reaches every state.
    expect([...seen].sort()).toEqual(["invalid_asn", "invalid_length", "not_found", "valid"]);
  });

  it("finds covering VRPs of every length, and none across families", () => {
    const v4 = { prefix: cidr("0.0.0.0/0"), maxLength: 32, asn: 1 };
    const v6 = { prefix: cidr("::/0"), maxLength: 128, asn: 1 };
    const exact = { prefix: cidr("192.0.2.128/25"), maxLength: 25, asn: 2 };
    const index = new VrpIndex([v4, v6, exact]);
    expect(index.covering(cidr("192.0.2.128/25"))).toEqual([v4, exact]);
    expect(index.covering(cidr("192.0.2.0/25"))).toEqual([v4]);
    expect(index.covering(cidr("2001:db8::/32"))).toEqual([v6]);
    expect(index.validate(cidr("192.0.2.128/26"), 2).validity).toBe("invalid_length");
    expect(index.size).toBe(3);
  });
});

describe("covering prefix texts", () => {
  it("lists every covering prefix in canonical text, shortest first", () => {
    expect(coveringPrefixTexts(cidr("192.0.2.0/24")).slice(20)).toEqual(["192.0.0.0/20", "192.0.0.0/21", "192.0.0.0/22", "192.0.2.0/23", "192.0.2.0/24"]);
    const v6 = coveringPrefixTexts(cidr("2001:db8::/32"));
    expect(v6).toHaveLength(33);
    expect(v6[0]).toBe("::/0");
    expect(v6.every((text) => cidr(text).text === text)).toBe(true);
  });
});
