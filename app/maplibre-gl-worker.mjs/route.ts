import { maplibreDistFile } from "@/lib/server/maplibre-dist";

// MapLibre's web worker (Turbopack does not bundle it).
export const dynamic = "force-static";

export function GET() {
  return maplibreDistFile("maplibre-gl-worker.mjs");
}
