import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { clipAntimeridian } from "@/lib/domain/antimeridian";
import { basemapMesh } from "@/lib/domain/basemap-mesh";

// The map's offline basemap: Natural Earth 1:110m countries (world-atlas), cut at the
// antimeridian and triangulated for the GPU (lib/domain/basemap-mesh.ts). Built once at
// build time and served as a static file: no tile server. The map page preloads it
// (components/map/basemap-layer.ts names its address).
export const dynamic = "force-static";

export async function GET() {
  const file = path.join(process.cwd(), "node_modules/world-atlas/countries-110m.json");
  const topology = JSON.parse(await readFile(file, "utf8")) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = feature(topology, topology.objects.countries) as FeatureCollection<Polygon | MultiPolygon, { name: string }>;
  return Response.json(basemapMesh(clipAntimeridian(countries)), { headers: { "Cache-Control": "public, max-age=86400" } });
}
