import { describe, expect, it } from "vitest";
import { filterAndSortPops, popListQuery, type SortablePop } from "./pop-list";

const pop = (code: string, extra: Partial<SortablePop>): SortablePop => ({
  code, name: code, city: code, country: "NL", region: "europe", status: "active", announcementState: "announced",
  capacityGbps: 100, utilisation: 0.5, catchmentShare: 0.1, ...extra,
});

const pops = [
  pop("FRA1", { city: "Frankfurt", utilisation: 0.7, country: "DE" }),
  pop("AMS1", { city: "Amsterdam", announcementState: "drained", utilisation: 0.2 }),
  pop("SYD1", { city: "Sydney", region: "oceania", status: "maintenance", utilisation: null, country: "AU" }),
];

describe("filterAndSortPops", () => {
  it("sorts by code by default, and by a number column either way", () => {
    expect(filterAndSortPops(pops, popListQuery.parse({})).map((p) => p.code)).toEqual(["AMS1", "FRA1", "SYD1"]);
    expect(filterAndSortPops(pops, popListQuery.parse({ sort: "utilisation", dir: "desc" })).map((p) => p.code)).toEqual(["FRA1", "AMS1", "SYD1"]);
  });

  it("filters by region, by lifecycle status or announcement state, and by text", () => {
    expect(filterAndSortPops(pops, popListQuery.parse({ region: "oceania" })).map((p) => p.code)).toEqual(["SYD1"]);
    expect(filterAndSortPops(pops, popListQuery.parse({ state: "maintenance" })).map((p) => p.code)).toEqual(["SYD1"]);
    expect(filterAndSortPops(pops, popListQuery.parse({ state: "drained" })).map((p) => p.code)).toEqual(["AMS1"]);
    expect(filterAndSortPops(pops, popListQuery.parse({ q: "frank" })).map((p) => p.code)).toEqual(["FRA1"]);
  });

  it("ignores a malformed query instead of failing the page", () => {
    expect(popListQuery.parse({ sort: "nonsense", dir: "sideways" })).toMatchObject({ sort: "code", dir: "asc" });
  });
});
