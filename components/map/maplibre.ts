// MapLibre, loaded as a native ES module from our own origin (app/maplibre-gl.mjs), not
// bundled with the map page's scripts.
//
// Why: bundled, its 1.1 MB were one module function that the browser compiled on the main
// thread at every page load, before the map could exist (about 0.4 s on 2 shared cores). As
// a module of its own it is fetched with the page (`<link rel="modulepreload">`), compiled
// off the main thread and cached compiled by the browser: the first map came about 0.3 s
// sooner (BENCHMARKS.md). Its types still come from the package.
export type MapLibre = typeof import("maplibre-gl");

/** Served by app/maplibre-gl.mjs/route.ts; the map page preloads it. */
export const MAPLIBRE_URL = "/maplibre-gl.mjs";

let loading: Promise<MapLibre> | null = null;

export function loadMaplibre(): Promise<MapLibre> {
  loading ??= (import(/* turbopackIgnore: true */ /* webpackIgnore: true */ MAPLIBRE_URL) as Promise<MapLibre>).then((maplibre) => {
    // The worker (tiling the misrouted lines off the main thread) starts before the map exists.
    maplibre.setWorkerUrl("/maplibre-gl-worker.mjs");
    maplibre.prewarm();
    return maplibre;
  });
  return loading;
}

// Started as soon as the map's code runs in the browser; a failed load is tried again by the next caller.
if (typeof window !== "undefined") loadMaplibre().catch(() => (loading = null));
