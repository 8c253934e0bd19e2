import "server-only";
import type { Place } from "@/lib/domain/placement/city-search";
import { CITIES, latLonOf } from "@/lib/demo/cities";

let places: Place[] | null = null;

/** The GeoNames cities (population 1,000 and up) the demo fleet is built from, as places to search. */
export function cityPlaces(): readonly Place[] {
  places ??= CITIES.map((city) => ({ name: city.name, country: city.country, ...latLonOf(city), population: city.population }));
  return places;
}
