// The catchment API's address for a scope and time, in one place: the map page preloads
// exactly the address the map then fetches (a preload is only used on an exact match).

export type MapScope = { kind: "prefix" | "service"; value: string };

export function catchmentApiUrl(scope: MapScope, at: string | null): string {
  const params = new URLSearchParams({ [scope.kind]: scope.value });
  if (at) params.set("at", at);
  return `/api/v1/catchment?${params}`;
}
