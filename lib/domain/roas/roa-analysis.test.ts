import { describe, expect, it } from "vitest";
import { cidr } from "../cidr";
import type { Validity } from "../rpki";
import { analyseRoas, type Route } from "./roa-analysis";
import { VrpIndex } from "./vrp-index";

const roa = (prefix: string, maxLength: number, asn: number) => ({ prefix: cidr(prefix), maxLength, asn });

function analyse(roas: ReturnType<typeof roa>[], routes: { prefix: string; asn: number }[]) {
  const index = new VrpIndex(roas);
  const withValidity: Route[] = routes.map((route) => ({ prefix: cidr(route.prefix), asn: route.asn, validity: index.validate(cidr(route.prefix), route.asn).validity as Validity }));
  const result = analyseRoas(roas, withValidity, index);
  return roas.map((r) => result.get(r)!.states);
}

describe("ROA analysis, as Krill shows it", () => {
  it("seen: it authorises an announced route with exactly its length", () => {
    expect(analyse([roa("192.0.2.0/24", 24, 64500)], [{ prefix: "192.0.2.0/24", asn: 64500 }])).toEqual([["seen"]]);
  });

  it("too permissive: a maxLength allowing more-specifics nobody announces", () => {
    expect(analyse([roa("192.0.2.0/23", 24, 64500)], [{ prefix: "192.0.2.0/23", asn: 64500 }])).toEqual([["too_permissive"]]);
    // Announcing the /23 and both /24s uses all it allows: seen.
    expect(analyse([roa("192.0.2.0/23", 24, 64500)], [{ prefix: "192.0.2.0/23", asn: 64500 }, { prefix: "192.0.2.0/24", asn: 64500 }, { prefix: "192.0.3.0/24", asn: 64500 }])).toEqual([["seen"]]);
  });

  it("disallowing: it covers an announced route it does not authorise, which is Invalid", () => {
    expect(analyse([roa("198.51.100.0/24", 24, 64511)], [{ prefix: "198.51.100.0/24", asn: 64500 }])).toEqual([["disallowing"]]);
  });

  it("not seen: it authorises and disallows nothing announced", () => {
    expect(analyse([roa("203.0.113.0/24", 24, 64500)], [{ prefix: "192.0.2.0/24", asn: 64500 }])).toEqual([["not_seen"]]);
  });

  it("redundant: another ROA for the same AS covers it with a maxLength at least as long; of identical ones only the later", () => {
    const broad = roa("192.0.2.0/23", 24, 64500);
    const narrow = roa("192.0.2.0/24", 24, 64500);
    const twin = roa("192.0.2.0/24", 24, 64500);
    const otherAs = roa("192.0.2.0/24", 24, 64501);
    expect(analyse([broad, narrow, twin, otherAs], [{ prefix: "192.0.2.0/24", asn: 64500 }])).toEqual([
      ["too_permissive"],
      ["seen", "redundant"],
      ["seen", "redundant"],
      ["not_seen"],
    ]);
    expect(analyse([narrow, twin], [])).toEqual([["not_seen"], ["not_seen", "redundant"]]);
  });

  it("AS0: it disallows what it covers, and is never stale", () => {
    expect(analyse([roa("192.0.2.0/24", 32, 0)], [{ prefix: "192.0.2.0/24", asn: 64500 }])).toEqual([["disallowing", "as0"]]);
    expect(analyse([roa("192.0.2.0/24", 32, 0)], [])).toEqual([["as0"]]);
    // An AS0 ROA next to a real one: the route is valid, the AS0 ROA disallows nothing.
    expect(analyse([roa("192.0.2.0/24", 32, 0), roa("192.0.2.0/24", 24, 64500)], [{ prefix: "192.0.2.0/24", asn: 64500 }])).toEqual([["as0"], ["seen"]]);
  });
});
