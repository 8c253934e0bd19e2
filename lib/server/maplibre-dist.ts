import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * A file of MapLibre's build, served from our own origin: the console must not fetch code from
 * a CDN. Read from the installed package at build time (the routes are static), so it always
 * matches the maplibre-gl version in use.
 */
export async function maplibreDistFile(name: "maplibre-gl.mjs" | "maplibre-gl-worker.mjs"): Promise<Response> {
  const file = path.join(process.cwd(), "node_modules/maplibre-gl/dist", name);
  return new Response(await readFile(file, "utf8"), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" },
  });
}
