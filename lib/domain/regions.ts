// The fleet's regions (the Region enum in prisma/schema.prisma) and which one each country is in.

export const REGIONS = ["africa", "asia", "europe", "middle_east", "north_america", "oceania", "south_america"] as const;

export type Region = (typeof REGIONS)[number];

export const REGION_LABELS: Record<Region, string> = {
  africa: "Africa",
  asia: "Asia",
  europe: "Europe",
  middle_east: "Middle East",
  north_america: "North America",
  oceania: "Oceania",
  south_america: "South America",
};

export function isRegion(value: string): value is Region {
  return (REGIONS as readonly string[]).includes(value);
}

// Continents as operators group PoPs, not strictly UN M49: Central America and the
// Caribbean are North America; Turkey, Cyprus and the Caucasus are Europe (their traffic
// is served from European PoPs); the Middle East is the Gulf and the Levant, Egypt is
// Africa. Remote territories go with the continent whose PoPs serve them (Antarctica and
// the Australian Indian Ocean islands: Oceania; Kerguelen and Bouvet: Africa).
const COUNTRIES: Record<Region, string> = {
  africa:
    "AO BF BI BJ BV BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU " +
    "MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA ZM ZW",
  asia: "AF BD BN BT CN HK ID IN IO JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH TJ TL TM TW UZ VN",
  europe:
    "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IM IS IT JE LI LT LU " +
    "LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TR UA VA XK",
  middle_east: "AE BH IL IQ IR JO KW LB OM PS QA SA SY YE",
  north_america:
    "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX NI PA PM PR SV SX " +
    "TC TT US VC VG VI",
  oceania: "AQ AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
  south_america: "AR BO BR CL CO EC FK GF GS GY PE PY SR UY VE",
};

const REGION_BY_COUNTRY: ReadonlyMap<string, Region> = (() => {
  const byCountry = new Map<string, Region>();
  for (const region of REGIONS) {
    for (const code of COUNTRIES[region].split(" ")) {
      const previous = byCountry.get(code);
      if (previous) throw new Error(`Country ${code} is listed in both ${previous} and ${region}.`);
      byCountry.set(code, region);
    }
  }
  return byCountry;
})();

/**
 * The region of an ISO 3166-1 alpha-2 country code (any case; also XK, Kosovo's
 * user-assigned code). Undefined for a code that names no country.
 */
export function regionOfCountry(iso2: string): Region | undefined {
  return REGION_BY_COUNTRY.get(iso2.toUpperCase());
}

/** Every country code regionOfCountry knows, sorted. */
export function knownCountryCodes(): string[] {
  return [...REGION_BY_COUNTRY.keys()].sort();
}
