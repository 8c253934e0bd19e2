// Colours for probes by the PoP that answers them. Derived from the PoP's id alone, so a
// PoP keeps its colour across reloads, filters and time, whatever else is on the map.
// Successive ids step round the hue circle by the golden angle, which keeps any run of
// ids far apart in hue; three lightness levels separate the ones that land close.

import type { Region } from "./regions";

export const GOLDEN_ANGLE_DEGREES = 137.508;
const LIGHTNESS = [0.62, 0.5, 0.72] as const;
const SATURATION = 0.72;
/** Probes whose answer matches no PoP. */
export const UNMATCHED_COLOR = "#6b7280";

function hslToHex(hue: number, saturation: number, lightness: number): string {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const channel = (n: number) => {
    const k = (n + hue / 30) % 12;
    const value = lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255).toString(16).padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

/** Candidate PoPs of a placement scenario (ids -1, -2, ...): white first, then colours apart from the palette's. */
const CANDIDATE_COLORS = ["#ffffff", "#ff4fd8", "#00e5ff", "#ffe14f", "#9dff4f"] as const;

/** The colour of a PoP's catchment, as #rrggbb. */
export function popColor(popId: number | null): string {
  if (popId === null) return UNMATCHED_COLOR;
  if (popId < 0) return CANDIDATE_COLORS[(-popId - 1) % CANDIDATE_COLORS.length]!;
  const hue = (popId * GOLDEN_ANGLE_DEGREES) % 360;
  return hslToHex(hue, SATURATION, LIGHTNESS[popId % LIGHTNESS.length]!);
}

/** Colours of the regions in the RTT charts. */
export const REGION_COLORS: Record<Region | "unknown", string> = {
  africa: "#f28e2b",
  asia: "#e15759",
  europe: "#4e9fe5",
  middle_east: "#edc948",
  north_america: "#59a14f",
  oceania: "#76b7b2",
  south_america: "#b07aa1",
  unknown: UNMATCHED_COLOR,
};
