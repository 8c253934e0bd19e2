import { describe, expect, it } from "vitest";
import { cityIndex } from "../../demo/cities";
import { findPlace, foldName, indexPlaces, largestPlaces, searchPlaces, type Place } from "./city-search";

const place = (name: string, country: string, population: number): Place => ({ name, country, lat: 0, lon: 0, population });
const PLACES = indexPlaces([
  place("Paris", "FR", 2_100_000),
  place("Paris", "US", 25_000),
  place("São Paulo", "BR", 12_000_000),
  place("Zürich", "CH", 400_000),
  place("Nairobi", "KE", 4_400_000),
  place("Saint-Paul", "RE", 100_000),
  place("Lima", "PE", 9_700_000),
  place("Lima", "US", 36_000),
  place("Limassol", "CY", 180_000),
  place("Yorkton", "CA", 16_000),
  place("York", "GB", 150_000),
]);

describe("city search", () => {
  it("matches the start of a name without case or accents, the most populous first", () => {
    expect(searchPlaces(PLACES, "paris").map((p) => p.country)).toEqual(["FR", "US"]);
    expect(searchPlaces(PLACES, "sao p").map((p) => p.name)).toEqual(["São Paulo"]);
    expect(searchPlaces(PLACES, "ZURICH").map((p) => p.name)).toEqual(["Zürich"]);
    expect(searchPlaces(PLACES, "lim").map((p) => `${p.name}, ${p.country}`)).toEqual(["Lima, PE", "Limassol, CY", "Lima, US"]);
    expect(foldName(" Zürich ")).toBe("zurich");
  });

  it("narrows to a country after a comma, falls back to names containing the query, and finds nothing for nothing", () => {
    expect(searchPlaces(PLACES, "Paris, us").map((p) => p.country)).toEqual(["US"]);
    expect(searchPlaces(PLACES, "paul").map((p) => p.name)).toEqual(["São Paulo", "Saint-Paul"]);
    expect(searchPlaces(PLACES, "  ")).toEqual([]);
    expect(searchPlaces(PLACES, "a", 2)).toHaveLength(2);
    expect(searchPlaces(PLACES, "atlantis")).toEqual([]);
  });

  it("finds the city a pasted line names: its exact name first, then the start of one, never the inside", () => {
    expect(findPlace(PLACES, "York")).toMatchObject({ name: "York", country: "GB" });
    expect(findPlace(PLACES, "Yor")).toMatchObject({ name: "York" });
    expect(findPlace(PLACES, "lima, us")).toMatchObject({ name: "Lima", country: "US" });
    expect(findPlace(PLACES, "Sao Paulo, BR")).toMatchObject({ name: "São Paulo" });
    expect(findPlace(PLACES, "paul")).toBeNull();
    expect(findPlace(PLACES, "Paris, DE")).toBeNull();
    expect(findPlace(PLACES, " , ")).toBeNull();
  });

  it("gives the largest places as default candidates", () => {
    expect(largestPlaces(PLACES, 2).map((p) => p.name)).toEqual(["São Paulo", "Lima"]);
  });

  it("reads the real city list: the largest Nairobi is Kenya's, and a line that names no city is null", () => {
    const cities = cityIndex();
    expect(cities.places.length).toBeGreaterThan(100_000);
    expect(findPlace(cities, "Nairobi, KE")).toMatchObject({ name: "Nairobi", country: "KE" });
    expect(findPlace(cities, "zzz-no-such-city")).toBeNull();
    expect(searchPlaces(cities, "nairo")[0]).toMatchObject({ name: "Nairobi", country: "KE" });
  });
});
