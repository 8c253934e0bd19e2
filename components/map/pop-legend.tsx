"use client";

import { memo, useMemo } from "react";
import { PopStateBadge } from "@/components/ui/state-badges";
import { formatPercent } from "@/lib/domain/format";
import { UNMATCHED_COLOR, popColor } from "@/lib/domain/pop-palette";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";

/** The PoPs of the map by share, each a button that selects it; the unmatched answers last. */
export const PopLegend = memo(function PopLegend({
  data,
  selectedPopId,
  onSelectPop,
}: {
  data: CatchmentMap | undefined;
  selectedPopId: number | null;
  onSelectPop: (popId: number | null) => void;
}) {
  const pops = useMemo(() => [...(data?.pops ?? [])].sort((a, b) => b.share - a.share || a.code.localeCompare(b.code)), [data]);
  const total = data?.total ?? 0;
  return (
    // Up to hundreds of rows, a dozen in view: the browser styles and lays out only those near
    // the view (content-visibility), which at 300 PoPs was most of the layout the map waited
    // for on its first frame.
    <ul aria-label="PoP legend" className="mt-3 max-h-[40vh] divide-y divide-line overflow-y-auto">
      {pops.map((pop) => (
        <li key={pop.id} className="[contain-intrinsic-size:auto_2rem] [content-visibility:auto]">
          <button
            type="button"
            aria-pressed={pop.id === selectedPopId}
            onClick={() => onSelectPop(pop.id === selectedPopId ? null : pop.id)}
            className="flex w-full items-center gap-2 px-1 py-1.5 text-left text-sm hover:bg-panel-2 aria-pressed:bg-panel-2"
          >
            <span className="h-3 w-3 shrink-0 rounded-full" style={{ background: popColor(pop.id) }} aria-hidden />
            <span className="font-mono">{pop.code}</span>
            <span className="truncate text-xs text-muted">{pop.city}</span>
            {pop.state !== "announced" && <PopStateBadge state={pop.state} />}
            <span className="ml-auto font-mono text-xs tabular-nums">{formatPercent(pop.share, 1)}</span>
          </button>
        </li>
      ))}
      {data && data.unmatched > 0 && (
        <li className="flex items-center gap-2 px-1 py-1.5 text-sm">
          <span className="h-3 w-3 shrink-0 rounded-full" style={{ background: UNMATCHED_COLOR }} aria-hidden />
          Unmatched answers
          <span className="ml-auto font-mono text-xs">{formatPercent(data.unmatched / total, 1)}</span>
        </li>
      )}
    </ul>
  );
});
