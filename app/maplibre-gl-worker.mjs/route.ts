import { readFile } from "node:fs/promises";
import path from "node:path";

// MapLibre's web worker, served from our own origin: Turbopack does not bundle it, and the
// console must not fetch it from a CDN. Read from the installed package at build time, so
// it always matches the maplibre-gl version in use.
export const dynamic = "force-static";

export async function GET() {
  const file = path.join(process.cwd(), "node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs");
  return new Response(await readFile(file, "utf8"), {
    headers: { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=86400" },
  });
}
