// The probes a placement map draws, as columns: what the server hands the browser for the
// inflation map of /placement and a scenario's predicted catchment. Coordinates keep two
// decimals (about a kilometre), milliseconds and kilometres whole numbers: 15,000 probes stay a
// few hundred kilobytes.
import type { ProbeInflation } from "./quality";
import type { ScenarioResult } from "./scenario";

/** Per located probe: where it is, the PoP that serves it, its extra RTT over the fibre bound to its nearest PoP (null without an RTT), and its extra km. */
export type InflationColumns = { lat: number[]; lon: number[]; pop: number[]; nearest: number[]; extraMs: (number | null)[]; extraKm: number[] };

/** Per located probe: where it is and the PoP the scenario predicts for it (negative: a candidate; null: none). */
export type CatchmentColumns = { lat: number[]; lon: number[]; pop: (number | null)[] };

const degrees = (value: number) => Math.round(value * 100) / 100;

export function inflationColumns(probes: readonly ProbeInflation[]): InflationColumns {
  const columns: InflationColumns = { lat: [], lon: [], pop: [], nearest: [], extraMs: [], extraKm: [] };
  for (const probe of probes) {
    columns.lat.push(degrees(probe.location.lat));
    columns.lon.push(degrees(probe.location.lon));
    columns.pop.push(probe.popId);
    columns.nearest.push(probe.nearestPopId);
    columns.extraMs.push(probe.extraRttMs === null ? null : Math.round(probe.extraRttMs));
    columns.extraKm.push(Math.round(probe.extraKm));
  }
  return columns;
}

export function catchmentColumns(catchment: ScenarioResult["catchment"]): CatchmentColumns {
  const columns: CatchmentColumns = { lat: [], lon: [], pop: [] };
  for (const probe of catchment) {
    columns.lat.push(degrees(probe.location.lat));
    columns.lon.push(degrees(probe.location.lon));
    columns.pop.push(probe.popId);
  }
  return columns;
}

/** Bands of extra RTT over the fibre bound, for the inflation map's colours and legend: upper bounds in ms, the last open. */
export const INFLATION_BANDS = [
  { upToMs: 10, label: "under 10 ms" },
  { upToMs: 30, label: "10 to 30 ms" },
  { upToMs: 60, label: "30 to 60 ms" },
  { upToMs: Infinity, label: "60 ms or more" },
] as const;

/** The band of an extra RTT (an index into INFLATION_BANDS), or null without one. */
export function inflationBand(extraMs: number | null): number | null {
  if (extraMs === null) return null;
  return INFLATION_BANDS.findIndex((band) => extraMs < band.upToMs);
}
