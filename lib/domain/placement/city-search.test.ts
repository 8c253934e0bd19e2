import { describe, expect, it } from "vitest";
import { foldName, largestPlaces, searchPlaces, type Place } from "./city-search";

const place = (name: string, country: string, population: number): Place => ({ name, country, lat: 0, lon: 0, population });
const PLACES = [place("Paris", "FR", 2_100_000), place("Paris", "US", 25_000), place("São Paulo", "BR", 12_000_000), place("Zürich", "CH", 400_000), place("Nairobi", "KE", 4_400_000), place("Saint-Paul", "RE", 100_000)];

describe("city search", () => {
  it("matches the start of a name without case or accents, the most populous first", () => {
    expect(searchPlaces(PLACES, "paris").map((p) => p.country)).toEqual(["FR", "US"]);
    expect(searchPlaces(PLACES, "sao p").map((p) => p.name)).toEqual(["São Paulo"]);
    expect(searchPlaces(PLACES, "ZURICH").map((p) => p.name)).toEqual(["Zürich"]);
    expect(foldName(" Zürich ")).toBe("zurich");
  });

  it("narrows to a country after a comma, falls back to names containing the query, and finds nothing for nothing", () => {
    expect(searchPlaces(PLACES, "Paris, us").map((p) => p.country)).toEqual(["US"]);
    expect(searchPlaces(PLACES, "paul").map((p) => p.name)).toEqual(["São Paulo", "Saint-Paul"]);
    expect(searchPlaces(PLACES, "  ")).toEqual([]);
    expect(searchPlaces(PLACES, "a", 2)).toHaveLength(2);
  });

  it("gives the largest places as default candidates", () => {
    expect(largestPlaces(PLACES, 2).map((p) => p.name)).toEqual(["São Paulo", "Nairobi"]);
  });
});
