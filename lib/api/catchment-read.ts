// The catchment API as the map reads it (useCatchment in queries.ts), in one place: the address for a scope and time
// (the map page preloads exactly the address the map then fetches: a preload is only used on
// an exact match), and the read itself.
import { apiErrorOf } from "./fetch-json";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";

export type MapScope = { kind: "prefix" | "service"; value: string };

/** The id of the map page's `<link rel="preload">` for its first map. */
export const CATCHMENT_PRELOAD_ID = "catchment-map-preload";

export function catchmentApiUrl(scope: MapScope, at: string | null): string {
  const params = new URLSearchParams({ [scope.kind]: scope.value });
  if (at) params.set("at", at);
  return `/api/v1/catchment?${params}`;
}

type Read = { ok: boolean; status: number; body: unknown };

async function read(url: string, signal?: AbortSignal): Promise<Read> {
  const response = await fetch(url, { signal });
  return { ok: response.ok, status: response.status, body: await response.json().catch(() => null) };
}

// The first map's data is read and parsed while the page's scripts are still being evaluated,
// before React hydrates and asks for it: on a slow machine hydration takes a second or more,
// and the answer (preloaded with the page) would wait that long to be parsed. Taken once, by
// the first read of the same address; a map page reached later in the session reads as usual.
let firstRead: { url: string; read: Promise<Read> } | null = null;
if (typeof document !== "undefined") {
  const url = document.getElementById(CATCHMENT_PRELOAD_ID)?.getAttribute("href");
  if (url) firstRead = { url, read: read(url) };
}

export async function fetchCatchment(scope: MapScope, at: string | null, signal: AbortSignal): Promise<CatchmentMap> {
  const url = catchmentApiUrl(scope, at);
  const early = firstRead?.url === url ? firstRead.read : null;
  firstRead = null;
  const { ok, status, body } = await (early ?? read(url, signal));
  if (!ok) throw apiErrorOf(status, body);
  return body as CatchmentMap;
}
