import { describe, expect, it } from "vitest";
import { createPopMatcher, matchPop, popIdentitiesList, type PopIdentities } from "./identities";

const pops: PopIdentities[] = [
  { code: "AMS1", identities: ["ams1.ns.example", "ams1-*.ns.example"] },
  { code: "FRA1", identities: ["fra1-*.ns.example", "FRA1-SPARE.example."] },
  { code: "LHR1", identities: ["*.ns.example"] },
];

describe("matchPop", () => {
  it("matches exact identities, ignoring case and one trailing dot", () => {
    expect(matchPop("ams1.ns.example", pops)).toBe("AMS1");
    expect(matchPop("AMS1.NS.Example.", pops)).toBe("AMS1");
    expect(matchPop("  fra1-spare.example ", pops)).toBe("FRA1");
  });

  it("matches patterns: `*` is one or more characters, dots included", () => {
    expect(matchPop("ams1-a.ns.example", pops)).toBe("AMS1");
    expect(matchPop("ams1-r1.b.ns.example", pops)).toBe("AMS1");
    expect(matchPop("fra1-7.ns.example", pops)).toBe("FRA1");
    expect(matchPop("ams1-.ns.example", pops)).toBe("LHR1");
    expect(matchPop("ams1-a.ns.example.org", pops)).toBeNull();
  });

  it("an exact identity beats a pattern, and the most specific pattern beats a catch-all", () => {
    expect(matchPop("ams1.ns.example", [{ code: "CATCH", identities: ["*"] }, ...pops])).toBe("AMS1");
    expect(matchPop("lhr1-x.ns.example", pops)).toBe("LHR1");
    expect(matchPop("ams1-x.ns.example", pops)).toBe("AMS1");
  });

  it("treats pattern characters other than * literally", () => {
    expect(matchPop("ams1xns.example", [{ code: "AMS1", identities: ["ams1.ns.example"] }])).toBeNull();
    expect(matchPop("aab", [{ code: "X", identities: ["a+*"] }])).toBeNull();
    expect(matchPop("a+", [{ code: "X", identities: ["a+*"] }])).toBeNull();
    expect(matchPop("a+b", [{ code: "X", identities: ["a+*"] }])).toBe("X");
  });

  it("answers nothing for an answer matching no PoP", () => {
    expect(matchPop("old-box.example.net", pops)).toBeNull();
    expect(matchPop("", pops)).toBeNull();
  });
});

describe("createPopMatcher", () => {
  it("prefers the pattern with more literal characters; equally specific patterns of two PoPs are ambiguous", () => {
    const match = createPopMatcher([
      { code: "AMS1", identities: ["*.ams.example"] },
      { code: "AMS2", identities: ["edge-*.example"] },
    ]);
    expect(match("edge-1.ams.example")).toEqual({ status: "matched", code: "AMS2" });
    expect(createPopMatcher([
      { code: "B", identities: ["*-1.example"] },
      { code: "A", identities: ["x-*.example"] },
    ])("x-1.example")).toEqual({ status: "ambiguous", codes: ["A", "B"] });
  });

  it("reports one exact identity declared by two PoPs as ambiguous", () => {
    const match = createPopMatcher([
      { code: "AMS1", identities: ["ns.example"] },
      { code: "FRA1", identities: ["NS.example."] },
    ]);
    expect(match("ns.example")).toEqual({ status: "ambiguous", codes: ["AMS1", "FRA1"] });
  });

  it("two patterns of the same PoP are not ambiguous", () => {
    const match = createPopMatcher([{ code: "AMS1", identities: ["ams1-*", "*.ns.example"] }]);
    expect(match("ams1-a.ns.example")).toEqual({ status: "matched", code: "AMS1" });
  });
});

describe("popIdentitiesList", () => {
  it("reads a --pops file and rejects a PoP without a code", () => {
    expect(popIdentitiesList.parse([{ code: " AMS1 " }])).toEqual([{ code: "AMS1", identities: [] }]);
    expect(popIdentitiesList.safeParse([{ identities: ["x"] }]).success).toBe(false);
  });
});
