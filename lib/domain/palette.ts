// Colours that mean the same thing on every page: a PoP keeps its colour across reloads,
// filters and charts (picked by a hash of its code, so adding a PoP recolours no other).
import { hashUnit } from "./routing-model";
import type { Region } from "./regions";

/** 16 colours that stay apart on the dark background (Tableau 10 and Okabe-Ito, brightened). */
export const POP_PALETTE = [
  "#4e9fe5", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
  "#9c755f", "#bab0ac", "#56b4e9", "#e69f00", "#009e73", "#f0e442", "#cc79a7", "#d55e00",
] as const;

export const OTHER_COLOR = "#5b6678";

export function popColor(code: string): string {
  return POP_PALETTE[Math.floor(hashUnit(code.toUpperCase()) * POP_PALETTE.length)]!;
}

export const REGION_COLORS: Record<Region | "unknown", string> = {
  africa: "#f28e2b",
  asia: "#e15759",
  europe: "#4e9fe5",
  middle_east: "#edc948",
  north_america: "#59a14f",
  oceania: "#76b7b2",
  south_america: "#b07aa1",
  unknown: OTHER_COLOR,
};
