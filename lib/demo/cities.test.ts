import { describe, expect, it } from "vitest";
import { findCity, latLonOf } from "./cities";

describe("findCity", () => {
  it("finds a city by name and country, with a division for names a country has more than once", () => {
    expect(latLonOf(findCity("Amsterdam", "NL"))).toEqual({ lat: 52.37403, lon: 4.88969 });
    expect(findCity("Ashburn", "US", "VA").population).toBeGreaterThan(40_000);
    expect(latLonOf(findCity("Ashburn", "US", "VA")).lon).toBeCloseTo(-77.49, 2);
    // Without the division, the most populous of the namesakes.
    expect(findCity("Dallas", "US").adminCode).toBe("TX");
  });

  it("fails loudly for a place that is not in the data", () => {
    expect(() => findCity("Atlantis", "GR")).toThrow(/not found/);
    expect(() => findCity("Amsterdam", "US", "ZZ")).toThrow(/not found/);
  });
});
