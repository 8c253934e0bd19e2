import type { Map as MapLibreMap } from "maplibre-gl";
import { describe, expect, it } from "vitest";
import { worldOffsets } from "./gl-program";

const mapShowing = (west: number, east: number) => ({ getBounds: () => ({ getWest: () => west, getEast: () => east }) }) as unknown as MapLibreMap;

describe("worldOffsets", () => {
  it("is the world alone when the view stays within ±180°", () => {
    expect(worldOffsets(mapShowing(-30, 40))).toEqual([0]);
  });

  it("adds the copy on each side the view reaches into, zoomed out on a wide screen", () => {
    expect(worldOffsets(mapShowing(-256, 276))).toEqual([-1, 0, 1]);
    expect(worldOffsets(mapShowing(150, 200))).toEqual([0, 1]);
    expect(worldOffsets(mapShowing(-600, 500))).toEqual([-2, -1, 0, 1]);
  });
});
