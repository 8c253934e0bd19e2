import type { Metadata } from "next";
import { BASEMAP_URL } from "@/components/map/basemap-layer";
import { CATCHMENT_PRELOAD_ID, catchmentApiUrl, type MapScope } from "@/lib/api/catchment-read";
import { CatchmentMapView } from "@/components/map/catchment-map-view";
import { MAPLIBRE_URL } from "@/components/map/maplibre";
import { PageHeader } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { listPrefixChoices, refreshIntervalMs } from "@/lib/server/catchment/data-sources";
import { warmCatchmentMap } from "@/lib/server/catchment/shared-catchment-map";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Catchment map" };

export default async function MapPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Checked here too, not only by the layout (which renders alongside): this page starts work.
  await requireUser();
  const [params, { prefixes, services }] = await Promise.all([searchParams, listPrefixChoices(db)]);
  const asked = { prefix: typeof params.prefix === "string" ? params.prefix : undefined, service: typeof params.service === "string" ? params.service : undefined };
  const byPrefix = prefixes.find((prefix) => String(prefix.id) === asked.prefix || prefix.cidr === asked.prefix);
  const initial: MapScope | null = byPrefix
    ? { kind: "prefix", value: String(byPrefix.id) }
    : asked.service && services.includes(asked.service)
      ? { kind: "service", value: asked.service }
      : prefixes[0]
        ? { kind: "prefix", value: String(prefixes[0].id) }
        : null;
  // The map's data is computed while this page renders: its request (preloaded below) then
  // finds it ready or under way.
  if (initial) warmCatchmentMap(initial.kind === "prefix" ? { prefix: initial.value } : { service: initial.value });
  return (
    <>
      {/* The browser starts on MapLibre, the basemap and the map's data (about 0.3 MB at
          15,000 probes) with the page, not after the scripts have run; the map's modules read
          the last two before hydration (basemap-layer.ts, lib/api/catchment-read.ts). "anonymous" is
          fetch()'s own mode: same-origin cookies. */}
      <link rel="modulepreload" href={MAPLIBRE_URL} />
      <link rel="preload" href={BASEMAP_URL} as="fetch" crossOrigin="anonymous" />
      {initial && <link id={CATCHMENT_PRELOAD_ID} rel="preload" href={catchmentApiUrl(initial, null)} as="fetch" crossOrigin="anonymous" />}
      <PageHeader title="Catchment map" subtitle="Which PoP answers each probe, live. Click a PoP to see its catchment; hover a probe for details." />
      {initial ? (
        <CatchmentMapView prefixes={prefixes} initialScope={initial} refreshMs={refreshIntervalMs()} />
      ) : (
        <p className="py-6 text-center text-sm text-muted">No prefixes yet: add one, then ingest measurements to see its catchment.</p>
      )}
    </>
  );
}
