// A geolocation file for the clients of a catchment file, which carry no coordinates:
//   prefix,lat,lon[,country]
// one prefix per line (any length up to /24 for IPv4 and /48 for IPv6; a header row naming
// `prefix` and lines starting with `#` are skipped). A client /24 or /48 takes the place of
// the longest prefix that holds it. A bad line is an issue of its own; the rest are used.
import { parseCidr, type Family } from "@/lib/domain/cidr";
import { CLIENT_PREFIX_LENGTH } from "./client-prefix";
import { createLineSplitter, csvFields } from "./csv-lines";
import { countryCode, latitudeLongitude } from "./fields";
import type { ParseIssue } from "./types";

export type Place = { lat: number; lon: number; country?: string };

export type Geolocation = {
  /** The place of a client /24 or /48 (canonical CIDR), or null when no prefix holds it. */
  placeOf(client: string): Place | null;
  prefixes: number;
  issues: ParseIssue[];
};

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
const maskOf = (length: number, family: Family) => (length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(BITS[family] - length));

export function parseGeolocation(text: string): Geolocation {
  const places = new Map<string, Place>();
  const lengths: Record<Family, Set<number>> = { 4: new Set(), 6: new Set() };
  const issues: ParseIssue[] = [];
  let index = 0;
  const lines = createLineSplitter((raw, line) => {
    const text = raw.trim();
    if (!text || text.startsWith("#")) return;
    const fields = csvFields(text);
    if (fields.ok && fields.value[0]?.toLowerCase() === "prefix") return;
    const position = { index: ++index, line };
    if (!fields.ok) return issues.push({ ...position, reason: fields.reason });
    const [prefixText = "", lat, lon, country] = fields.value;
    const prefix = parseCidr(prefixText.includes("/") ? prefixText : `${prefixText}/${prefixText.includes(":") ? 128 : 32}`);
    if (!prefix.ok) return issues.push({ ...position, reason: prefix.error });
    const { family, length, network } = prefix.cidr;
    if (length > CLIENT_PREFIX_LENGTH[family]) {
      return issues.push({ ...position, reason: `${prefix.cidr.text} is longer than /${CLIENT_PREFIX_LENGTH[family]}: no client /${CLIENT_PREFIX_LENGTH[family]} falls in it` });
    }
    const place = latitudeLongitude(lat, lon);
    if (!place.ok) return issues.push({ ...position, reason: place.reason });
    if (!place.value) return issues.push({ ...position, reason: "lat and lon are missing" });
    const code = countryCode(country);
    if (!code.ok) return issues.push({ ...position, reason: code.reason });
    places.set(`${family}|${length}|${network}`, { ...place.value, ...(code.value ? { country: code.value } : {}) });
    lengths[family].add(length);
  });
  lines.push(text);
  lines.end();

  const longestFirst: Record<Family, number[]> = { 4: [...lengths[4]].sort((a, b) => b - a), 6: [...lengths[6]].sort((a, b) => b - a) };
  return {
    prefixes: places.size,
    issues,
    placeOf(client) {
      const parsed = parseCidr(client);
      if (!parsed.ok) return null;
      const { family, length, network } = parsed.cidr;
      for (const candidate of longestFirst[family]) {
        if (candidate > length) continue;
        const place = places.get(`${family}|${candidate}|${network & maskOf(candidate, family)}`);
        if (place) return place;
      }
      return null;
    },
  };
}
