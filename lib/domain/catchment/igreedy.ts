// iGreedy's "measurement+gt" catchment tables (F, I, K root from RIPE Atlas): one probe a line,
//   #hostname  latitude  longitude  gt  min(rtt)[ms]
// tab-separated: the Atlas probe id, where it stands, the site it reaches, and its lowest RTT.
// The files give no site locations, so each site is placed where its lowest-RTT probes stand
// (the median latitude and longitude of the probes tied at the site's lowest RTT): a probe a
// millisecond away is in the site's city, which is as close as the data can say.
import type { LatLon } from "../geo";

export type IgreedyRow = { line: number; probeId: string; location: LatLon; site: string; rttMs: number };

export type IgreedyIssue = { line: number; reason: string };

export function isIgreedyTable(text: string): boolean {
  return /^\uFEFF?#hostname\tlatitude\tlongitude\tgt\b/.test(text);
}

export function parseIgreedyTable(text: string): { rows: IgreedyRow[]; issues: IgreedyIssue[] } {
  const rows: IgreedyRow[] = [];
  const issues: IgreedyIssue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim() || raw.startsWith("#") || raw.startsWith("\uFEFF#")) return;
    const fields = raw.split("\t").map((field) => field.trim());
    if (fields.length !== 5) return issues.push({ line, reason: `has ${fields.length} fields, expected 5` });
    const [probeId, latText, lonText, site, rttText] = fields as [string, string, string, string, string];
    const lat = Number(latText);
    const lon = Number(lonText);
    const rttMs = Number(rttText);
    if (!probeId) return issues.push({ line, reason: "the probe id is empty" });
    if (!latText || !Number.isFinite(lat) || Math.abs(lat) > 90) return issues.push({ line, reason: `latitude ${latText} is not between -90 and 90` });
    if (!lonText || !Number.isFinite(lon) || Math.abs(lon) > 180) return issues.push({ line, reason: `longitude ${lonText} is not between -180 and 180` });
    if (!site) return issues.push({ line, reason: "the site is empty" });
    if (!rttText || !Number.isFinite(rttMs) || rttMs < 0) return issues.push({ line, reason: `RTT ${rttText} is not a number of ms` });
    rows.push({ line, probeId, location: { lat, lon }, site, rttMs });
  });
  return { rows, issues };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Each site's location: the median position of its probes tied at the site's lowest RTT. */
export function siteLocations(rows: readonly { location: LatLon; site: string; rttMs: number }[]): Map<string, LatLon> {
  const nearest = new Map<string, { rttMs: number; locations: LatLon[] }>();
  for (const row of rows) {
    const best = nearest.get(row.site);
    if (!best || row.rttMs < best.rttMs) nearest.set(row.site, { rttMs: row.rttMs, locations: [row.location] });
    else if (row.rttMs === best.rttMs) best.locations.push(row.location);
  }
  return new Map(
    [...nearest].map(([site, { locations }]) => [site, { lat: median(locations.map((l) => l.lat)), lon: median(locations.map((l) => l.lon)) }]),
  );
}
