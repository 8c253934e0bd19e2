"use client";

import { useCallback, useDeferredValue, useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/panel";
import { PopStateBadge } from "@/components/ui/state-badges";
import type { MapScope } from "@/lib/api/catchment-read";
import { useCatchment } from "@/lib/api/queries";
import { formatPercent } from "@/lib/domain/format";
import { POP_STATE_LABELS } from "@/lib/domain/pop-state";
import type { CatchmentPrefixOption } from "@/lib/server/catchment/get-catchment-map";
import { misroutedLines } from "./catchment-features";
import { MapCanvas, type MapView, type ProbeHover } from "./map-canvas";
import { MisroutedPanel } from "./misrouted-panel";
import { PopLegend } from "./pop-legend";
import { probePoints } from "./probe-points";

const HISTORY_HOURS = 24;
const SLIDER_STEP_HOURS = 0.25;
const SLIDER_SETTLE_MS = 300;

function formatTime(iso: string) {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function CatchmentMapView({ prefixes, initialScope, refreshMs }: { prefixes: CatchmentPrefixOption[]; initialScope: MapScope; refreshMs: number }) {
  const [scope, setScope] = useState<MapScope>(initialScope);
  const [hoursAgo, setHoursAgo] = useState(0);
  const [at, setAt] = useState<string | null>(null);
  const [selectedPopId, setSelectedPopId] = useState<number | null>(null);
  const [showMisrouted, setShowMisrouted] = useState(true);
  const [hover, setHover] = useState<ProbeHover | null>(null);

  // The slider settles before asking: dragging it across a day makes one request, not 96.
  useEffect(() => {
    const timer = setTimeout(() => setAt(hoursAgo === 0 ? null : new Date(Date.now() - hoursAgo * 3600_000).toISOString()), SLIDER_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [hoursAgo]);

  // The URL names what is shown, so a reload or a shared link shows the same map.
  useEffect(() => {
    window.history.replaceState(null, "", `?${new URLSearchParams({ [scope.kind]: scope.kind === "prefix" ? (prefixes.find((p) => String(p.id) === scope.value)?.cidr ?? scope.value) : scope.value })}`);
  }, [scope, prefixes]);

  const catchment = useCatchment(scope, at, refreshMs);
  const data = catchment.data;

  const popsById = useMemo(() => new Map((data?.pops ?? []).map((pop) => [pop.id, pop])), [data]);
  const describePop = useCallback(
    (popId: number) => {
      const pop = popsById.get(popId);
      return pop ? `${pop.code} ${pop.city}: ${POP_STATE_LABELS[pop.state].toLowerCase()}, ${formatPercent(pop.share, 1)} of probes` : `PoP ${popId}`;
    },
    [popsById],
  );
  const view = useMemo<MapView | undefined>(
    () =>
      data && {
        points: probePoints(data),
        markers: data.pops.map((pop) => ({ id: pop.id, code: pop.code, lat: pop.lat, lon: pop.lon, tone: pop.state, label: describePop(pop.id) })),
        lines: misroutedLines(data),
      },
    [data, describePop],
  );
  const popCode = useCallback((popId: number) => popsById.get(popId)?.code ?? `PoP ${popId}`, [popsById]);
  const selected = selectedPopId === null ? undefined : popsById.get(selectedPopId);
  // The legend and the misrouted table (hundreds of rows) follow a deferred copy of the data:
  // React renders them after the map has the new data, in slices that let the map's frames
  // through, so the first map does not wait for them.
  const listed = useDeferredValue(data);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setSelectedPopId(null);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const services = [...new Set(prefixes.map((prefix) => prefix.service))];
  // Every answer counts in the shares; only placed probes are drawn (see CatchmentMap.total).
  const total = data?.total ?? 0;
  const drawn = data?.probes.id.length ?? 0;
  const hovered = hover && data && hover.index < drawn ? hover.index : null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-x-6 gap-y-3">
        <div>
          <label htmlFor="map-scope" className="block text-sm font-medium">
            Prefix or service
          </label>
          <select
            id="map-scope"
            className="mt-1 block rounded-md border border-line bg-canvas px-3 py-2 text-sm"
            value={`${scope.kind}:${scope.value}`}
            onChange={(event) => {
              const [kind, ...rest] = event.target.value.split(":");
              setScope({ kind: kind as MapScope["kind"], value: rest.join(":") });
              setSelectedPopId(null);
            }}
          >
            <optgroup label="Prefixes">
              {prefixes.map((prefix) => (
                <option key={prefix.id} value={`prefix:${prefix.id}`}>
                  {prefix.cidr} ({prefix.service})
                </option>
              ))}
            </optgroup>
            <optgroup label="Services (all their prefixes)">
              {services.map((service) => (
                <option key={service} value={`service:${service}`}>
                  {service}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="min-w-[min(100%,18rem)] flex-1">
          <label htmlFor="map-time" className="block text-sm font-medium">
            Time: <span className="font-mono">{hoursAgo === 0 ? "live" : `${hoursAgo} h ago`}</span>
            {at && <span className="ml-2 text-xs text-muted">({formatTime(at)})</span>}
          </label>
          <input
            id="map-time"
            type="range"
            className="mt-2 w-full accent-[var(--color-accent)]"
            min={-HISTORY_HOURS}
            max={0}
            step={SLIDER_STEP_HOURS}
            value={-hoursAgo}
            aria-valuetext={hoursAgo === 0 ? "live" : `${hoursAgo} hours ago`}
            onChange={(event) => setHoursAgo(-Number(event.target.value))}
          />
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={showMisrouted} onChange={(event) => setShowMisrouted(event.target.checked)} />
          Misrouted lines
        </label>
        <div className="flex flex-wrap items-center gap-2 text-xs text-muted" aria-live="polite">
          {data && data.simulatedProbes > 0 && (
            <Badge tone="warn" title="Answers from the demo fleet's simulated probes, not real measurements">
              Simulated data{data.simulatedProbes < total ? `: ${data.simulatedProbes} of ${total} answers` : ""}
            </Badge>
          )}
          {data && data.unplaced.answers + data.omittedPoints > 0 && (
            <Badge tone="muted" title="Client /24s and /48s of a catchment scan without a geolocation, and placed probes past the map's limit: counted in the shares, not drawn">
              {data.unplaced.answers + data.omittedPoints} of {total} answers not drawn
            </Badge>
          )}
          {at === null ? <Badge tone="accent">Live · every {Math.round(refreshMs / 1000)} s</Badge> : <Badge tone="muted">History</Badge>}
          <span data-testid="map-updated">
            {catchment.isFetching ? "Updating…" : catchment.dataUpdatedAt ? `Updated ${new Date(catchment.dataUpdatedAt).toISOString().slice(11, 19)} UTC` : ""}
          </span>
        </div>
      </div>

      {catchment.isError && <p className="text-sm text-bad">The catchment could not be loaded: {catchment.error.message}</p>}

      <div className="grid gap-4 xl:grid-cols-[1fr_20rem]">
        <div className="relative">
          <MapCanvas
            view={view}
            label="World map of probes coloured by the PoP that answers them"
            selectedPopId={selectedPopId}
            showLines={showMisrouted}
            onSelectPop={setSelectedPopId}
            onHoverProbe={setHover}
          />
          {hovered !== null && data && hover && (
            <div
              role="tooltip"
              className="pointer-events-none absolute z-10 rounded border border-line bg-panel/95 px-2 py-1 text-xs shadow-lg"
              style={{ left: Math.min(hover.x + 12, 9999), top: hover.y + 12 }}
            >
              <div className="font-mono font-semibold">Probe {data.probes.ext[hovered]}</div>
              <div>
                {data.probes.country[hovered] ?? "Country unknown"}
                {data.probes.asn[hovered] !== null && ` · AS${data.probes.asn[hovered]}`}
                {data.probes.rtt[hovered] !== null && ` · RTT ${data.probes.rtt[hovered]} ms`}
              </div>
              <div>
                {data.probes.pop[hovered] !== null ? `PoP ${popCode(data.probes.pop[hovered]!)}` : `Unmatched answer "${data.answers[data.probes.answer[hovered]!]}"`}
                {data.prefixes.length > 1 && ` · ${data.prefixes.find((p) => p.id === data.probes.prefix[hovered])?.cidr}`}
              </div>
            </div>
          )}
          <p className="mt-1 text-right text-[10px] text-muted">Basemap: Natural Earth (world-atlas), served by this console</p>
        </div>

        <div className="space-y-4">
          <Panel
            title={selected ? `${selected.code} catchment` : "Catchment by PoP"}
            actions={
              selected && (
                <button type="button" className="text-sm text-accent" onClick={() => setSelectedPopId(null)}>
                  Show all
                </button>
              )
            }
          >
            {selected ? (
              <div role="group" aria-label="Selected PoP" className="space-y-2 text-sm">
                <div className="flex items-center justify-between gap-2">
                  <span>
                    <span className="font-mono font-semibold">{selected.code}</span> {selected.name}
                  </span>
                  <PopStateBadge state={selected.state} />
                </div>
                <div data-testid="selected-pop-share" className="font-mono text-3xl font-semibold tabular-nums">
                  {formatPercent(selected.share, 1)}
                </div>
                <p className="text-muted">
                  {selected.probes} of {total} probe answers{data && data.prefixes.length > 1 ? ` for ${data.service}` : ""}.{" "}
                  {data && `${data.misrouted.filter((row) => row.pop === selected.id).length} misrouted.`}
                </p>
                <a href={`/pops/${selected.code}`} className="text-accent">
                  Open {selected.code}
                </a>
              </div>
            ) : (
              <p className="text-sm text-muted">
                {total} probe answers{data?.unmatched ? `, ${data.unmatched} unmatched` : ""}. Pick a PoP on the map or below.
              </p>
            )}
            <PopLegend data={listed} selectedPopId={selectedPopId} onSelectPop={setSelectedPopId} />
            <p className="mt-3 text-xs text-muted">
              PoP markers: <span className="text-ok">● announced</span> <span className="text-drained">● drained</span> <span className="text-bad">● withdrawn</span>{" "}
              <span className="text-warn">● mixed</span>
            </p>
          </Panel>
        </div>
      </div>

      <MisroutedPanel data={listed} />
    </div>
  );
}
