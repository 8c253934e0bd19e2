// Finding a city for a candidate PoP, and the default candidates of a recommendation: the
// largest cities. Pure over a list of places (the server passes the GeoNames cities the demo
// fleet is built from).

export type Place = { name: string; country: string; lat: number; lon: number; population: number };

/** Lower case without accents, so "sao paulo" finds São Paulo and "zurich" Zürich. */
export function foldName(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

/**
 * Places whose name starts with the query (or, failing enough of those, contains it), the most
 * populous first. An optional ", CC" suffix narrows to a country: "Paris, US".
 */
export function searchPlaces(places: readonly Place[], query: string, limit = 10): Place[] {
  const [namePart, countryPart] = query.split(",");
  const name = foldName(namePart ?? "");
  const country = countryPart?.trim().toUpperCase();
  if (name.length === 0) return [];
  const starts: Place[] = [];
  const contains: Place[] = [];
  for (const place of places) {
    if (country && place.country !== country) continue;
    const folded = foldName(place.name);
    if (folded.startsWith(name)) starts.push(place);
    else if (folded.includes(name)) contains.push(place);
  }
  const byPopulation = (a: Place, b: Place) => b.population - a.population || a.name.localeCompare(b.name);
  return [...starts.sort(byPopulation), ...contains.sort(byPopulation)].slice(0, limit);
}

/** The `count` most populous places: a recommendation's default candidates. */
export function largestPlaces(places: readonly Place[], count: number): Place[] {
  return [...places].sort((a, b) => b.population - a.population || a.name.localeCompare(b.name)).slice(0, count);
}
