"use client";

import { useMemo, useState, type ReactNode } from "react";
import { MapCanvas, type MapMarker, type MapView, type ProbeHover } from "@/components/map/map-canvas";
import { colouredPoints } from "@/components/map/probe-points";
import { formatPercent } from "@/lib/domain/format";
import { INFLATION_BANDS, inflationBand, type CatchmentColumns, type InflationColumns } from "@/lib/domain/placement/map-columns";
import { popColor, UNMATCHED_COLOR } from "@/lib/domain/pop-palette";

// The maps of placement review: probes coloured by path inflation (/placement), and a
// scenario's predicted catchment (a scenario's page). Both draw on the catchment map's canvas.

/** Colours of the inflation bands (INFLATION_BANDS), from good to bad. */
const BAND_COLORS = ["#3fb950", "#d29922", "#f0883e", "#f85149"] as const;

export type PlacementMapPop = Omit<MapMarker, "label">;

function Swatch({ color }: { color: string }) {
  return <span aria-hidden className="inline-block h-2.5 w-2.5 shrink-0 rounded-full" style={{ backgroundColor: color }} />;
}

/** The map, its hover tooltip, and a legend beside it (under it on a phone). */
function PlacementMap({
  view,
  label,
  tooltip,
  legend,
  selectedPopId,
  onSelectPop,
}: {
  view: MapView;
  label: string;
  tooltip: (index: number) => ReactNode;
  legend: ReactNode;
  selectedPopId: number | null;
  onSelectPop: (popId: number | null) => void;
}) {
  const [hover, setHover] = useState<ProbeHover | null>(null);
  return (
    <div className="grid gap-3 lg:grid-cols-[1fr_16rem]">
      <div className="relative" data-print="hide">
        <MapCanvas view={view} label={label} selectedPopId={selectedPopId} showLines={false} onSelectPop={onSelectPop} onHoverProbe={setHover} />
        {hover && hover.index < view.points.count && (
          <div role="tooltip" className="pointer-events-none absolute z-10 max-w-64 rounded border border-line bg-panel/95 px-2 py-1 text-xs shadow-lg" style={{ left: hover.x + 12, top: hover.y + 12 }}>
            {tooltip(hover.index)}
          </div>
        )}
      </div>
      <div className="text-sm">{legend}</div>
    </div>
  );
}

const markersOf = (pops: readonly PlacementMapPop[], describe: (pop: PlacementMapPop) => string): MapMarker[] => pops.map((pop) => ({ ...pop, label: describe(pop) }));

/** Located probes coloured by their extra RTT over the fibre bound to their nearest announcing PoP. */
export function InflationMap({ columns, pops }: { columns: InflationColumns; pops: readonly PlacementMapPop[] }) {
  const [selectedPopId, setSelectedPopId] = useState<number | null>(null);
  const codeOf = useMemo(() => new Map(pops.map((pop) => [pop.id, pop.code])), [pops]);
  const bands = useMemo(() => columns.extraMs.map(inflationBand), [columns]);
  const counts = useMemo(() => {
    const byBand = INFLATION_BANDS.map(() => 0);
    let unknown = 0;
    for (const band of bands) {
      if (band === null) unknown++;
      else byBand[band]!++;
    }
    return { byBand, unknown };
  }, [bands]);
  const view = useMemo<MapView>(
    () => ({
      points: colouredPoints(columns.lat, columns.lon, columns.pop, (index) => (bands[index] === null ? UNMATCHED_COLOR : BAND_COLORS[bands[index]!]!)),
      markers: markersOf(pops, (pop) => `${pop.code}: select to show only the probes it serves`),
    }),
    [columns, bands, pops],
  );
  const total = columns.lat.length;
  return (
    <PlacementMap
      view={view}
      label="World map of probes coloured by path inflation: extra RTT over the fibre bound to their nearest PoP"
      selectedPopId={selectedPopId}
      onSelectPop={setSelectedPopId}
      tooltip={(index) => (
        <>
          <div className="font-semibold">{columns.extraMs[index] === null ? "No RTT measured" : `+${Math.max(0, columns.extraMs[index]!)} ms over the fibre bound`}</div>
          <div>
            Served by {codeOf.get(columns.pop[index]!) ?? "?"}
            {columns.pop[index] === columns.nearest[index] ? ", its nearest PoP" : `, ${columns.extraKm[index]!.toLocaleString("en")} km further than ${codeOf.get(columns.nearest[index]!) ?? "?"} (nearest)`}
          </div>
        </>
      )}
      legend={
        <div aria-label="Inflation legend">
          <p className="mb-2 text-muted">Extra RTT over the speed of light in fibre to the nearest PoP, for {total.toLocaleString("en")} located probes. Pick a PoP marker to see only its probes.</p>
          <ul className="space-y-1">
            {INFLATION_BANDS.map((band, index) => (
              <li key={band.label} className="flex items-center gap-2">
                <Swatch color={BAND_COLORS[index]!} />
                <span className="flex-1">{band.label}</span>
                <span className="font-mono tabular-nums">{total ? formatPercent(counts.byBand[index]! / total, 0) : "–"}</span>
              </li>
            ))}
            {counts.unknown > 0 && (
              <li className="flex items-center gap-2">
                <Swatch color={UNMATCHED_COLOR} />
                <span className="flex-1">no RTT</span>
                <span className="font-mono tabular-nums">{formatPercent(counts.unknown / total, 0)}</span>
              </li>
            )}
          </ul>
          {selectedPopId !== null && (
            <button type="button" className="mt-2 text-accent" onClick={() => setSelectedPopId(null)}>
              Show all PoPs
            </button>
          )}
        </div>
      }
    />
  );
}

/** A scenario's predicted catchment: each located probe in the colour of the PoP the model sends it to. */
export function ScenarioCatchmentMap({ columns, pops }: { columns: CatchmentColumns; pops: readonly PlacementMapPop[] }) {
  const [selectedPopId, setSelectedPopId] = useState<number | null>(null);
  const codeOf = useMemo(() => new Map(pops.map((pop) => [pop.id, pop.code])), [pops]);
  const shares = useMemo(() => {
    const counts = new Map<number | null, number>();
    for (const pop of columns.pop) counts.set(pop, (counts.get(pop) ?? 0) + 1);
    // Candidates first, then the largest catchments.
    return [...counts].sort(([a, x], [b, y]) => Number((b ?? 0) < 0) - Number((a ?? 0) < 0) || y - x);
  }, [columns]);
  const total = columns.pop.length;
  const view = useMemo<MapView>(
    () => ({
      points: colouredPoints(columns.lat, columns.lon, columns.pop, (index) => popColor(columns.pop[index] ?? null)),
      markers: markersOf(pops, (pop) => {
        const probes = shares.find(([id]) => id === pop.id)?.[1] ?? 0;
        return `${pop.code}${pop.tone === "candidate" ? " (candidate)" : ""}: ${probes} probes predicted`;
      }),
    }),
    [columns, pops, shares],
  );
  return (
    <PlacementMap
      view={view}
      label="World map of probes coloured by the PoP the scenario predicts for them"
      selectedPopId={selectedPopId}
      onSelectPop={setSelectedPopId}
      tooltip={(index) => <div>Predicted: {columns.pop[index] === null ? "no PoP" : (codeOf.get(columns.pop[index]!) ?? "?")}</div>}
      legend={
        <div>
          <p className="mb-2 text-muted">The predicted catchment of {total.toLocaleString("en")} located probes. Pick a PoP to see only its probes.</p>
          <ul aria-label="Predicted catchment by PoP" className="max-h-72 space-y-0.5 overflow-y-auto">
            {shares.map(([popId, count]) => (
              <li key={popId ?? "none"}>
                <button
                  type="button"
                  aria-pressed={popId === selectedPopId}
                  disabled={popId === null}
                  className="flex w-full items-center gap-2 rounded px-1 text-left hover:bg-panel aria-pressed:bg-panel"
                  onClick={() => setSelectedPopId(popId === selectedPopId ? null : popId)}
                >
                  <Swatch color={popColor(popId)} />
                  <span className="flex-1 font-mono">
                    {popId === null ? "no PoP" : (codeOf.get(popId) ?? `PoP ${popId}`)}
                    {popId !== null && popId < 0 && <span className="ml-1 font-sans text-xs text-accent">new</span>}
                  </span>
                  <span className="font-mono tabular-nums">{count.toLocaleString("en")}</span>
                  <span className="w-10 text-right font-mono text-xs text-muted tabular-nums">{formatPercent(count / total, 0)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      }
    />
  );
}
