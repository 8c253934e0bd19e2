// Finding a city for a candidate PoP, and the default candidates of a recommendation: the
// largest cities. Pure over an index of places (the server indexes the GeoNames cities the demo
// fleet is built from, 135,000 of them, once).

export type Place = { name: string; country: string; lat: number; lon: number; population: number };

/**
 * Places sorted by their folded name (the most populous first among equal names), with the
 * folded names beside them: the places whose name starts with a query are one run of it, found
 * by binary search, so a lookup reads no name outside that run.
 */
export type PlaceIndex = { places: readonly Place[]; folded: readonly string[] };

/** Lower case without accents, so "sao paulo" finds São Paulo and "zurich" Zürich. */
export function foldName(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim();
}

const byPopulation = (a: Place, b: Place) => b.population - a.population || a.name.localeCompare(b.name);

export function indexPlaces(places: readonly Place[]): PlaceIndex {
  const entries = places.map((place) => ({ place, folded: foldName(place.name) }));
  entries.sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : byPopulation(a.place, b.place)));
  return { places: entries.map((entry) => entry.place), folded: entries.map((entry) => entry.folded) };
}

/** "Paris, us" -> the folded name and the country code it is narrowed to, if any. */
function parseQuery(query: string): { name: string; country: string | undefined } {
  const [namePart, countryPart] = query.split(",");
  return { name: foldName(namePart ?? ""), country: countryPart?.trim().toUpperCase() || undefined };
}

/** The index of the first folded name at or after `name`. */
function firstAtOrAfter(folded: readonly string[], name: string): number {
  let low = 0;
  let high = folded.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (folded[mid]! < name) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The run of places whose folded name starts with `name`, in a country if one is given. */
function startingWith(index: PlaceIndex, name: string, country: string | undefined): { place: Place; folded: string }[] {
  const found: { place: Place; folded: string }[] = [];
  for (let i = firstAtOrAfter(index.folded, name); i < index.folded.length && index.folded[i]!.startsWith(name); i++) {
    const place = index.places[i]!;
    if (!country || place.country === country) found.push({ place, folded: index.folded[i]! });
  }
  return found;
}

/**
 * Places whose name starts with the query (or, failing enough of those, contains it), the most
 * populous first. An optional ", CC" suffix narrows to a country: "Paris, US".
 */
export function searchPlaces(index: PlaceIndex, query: string, limit = 10): Place[] {
  const { name, country } = parseQuery(query);
  if (name.length === 0) return [];
  const starts = startingWith(index, name, country).map((entry) => entry.place);
  const contains: Place[] = [];
  if (starts.length < limit) {
    index.folded.forEach((folded, i) => {
      const place = index.places[i]!;
      if (!folded.startsWith(name) && folded.includes(name) && (!country || place.country === country)) contains.push(place);
    });
  }
  return [...starts.sort(byPopulation), ...contains.sort(byPopulation)].slice(0, limit);
}

/**
 * The city one line of a pasted list names ("Nairobi, KE"): the most populous with exactly that
 * name, else the most populous whose name starts with it; null when none does. No search inside
 * names, so each line costs one binary search and its run: a list of 2,000 lines takes
 * milliseconds, not the seconds 2,000 typeahead searches would.
 */
export function findPlace(index: PlaceIndex, line: string): Place | null {
  const { name, country } = parseQuery(line);
  if (name.length === 0) return null;
  const run = startingWith(index, name, country);
  const exact = run.find((entry) => entry.folded === name);
  if (exact) return exact.place;
  return run.reduce<Place | null>((best, { place }) => (best === null || byPopulation(place, best) < 0 ? place : best), null);
}

/** The `count` most populous places: a recommendation's default candidates. */
export function largestPlaces(index: PlaceIndex, count: number): Place[] {
  return [...index.places].sort(byPopulation).slice(0, count);
}
