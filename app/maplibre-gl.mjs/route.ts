import { maplibreDistFile } from "@/lib/server/maplibre-dist";

// MapLibre itself, as a native ES module: components/map/maplibre.ts says why it is not bundled.
export const dynamic = "force-static";

export function GET() {
  return maplibreDistFile("maplibre-gl.mjs");
}
