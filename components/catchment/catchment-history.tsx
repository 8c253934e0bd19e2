"use client";

import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { useCatchmentHistory } from "@/lib/api/queries";
import type { CatchmentHistoryResponse } from "@/lib/api/responses";
import { formatUtcLabel } from "@/lib/domain/format";
import { Empty, Panel, Stat } from "@/components/ui/panel";
import { RttChart } from "./rtt-chart";
import { ShareChart } from "./share-chart";

type Props = { query: string; initial: CatchmentHistoryResponse; refreshMs: number };

/** The catchment over the last day, refreshed in place as new measurements arrive. */
export function CatchmentHistoryPanels({ query, initial, refreshMs }: Props) {
  const history = useCatchmentHistory(query, initial, refreshMs);
  const data = history.data;
  return (
    <div className="grid gap-4">
      {history.isError && <p className="text-sm text-bad">Could not refresh: {history.error.message} (showing the last data).</p>}
      <div className="grid gap-4 xl:grid-cols-2">
        <Panel title="Catchment share per PoP">
          {data.shares.points.length ? <ShareChart series={data.shares} /> : <Empty>No answers matched to a PoP in the last {data.hours} h.</Empty>}
        </Panel>
        <Panel title="Median RTT per region">
          {data.rtt.points.length ? <RttChart regions={data.rtt.regions} points={data.rtt.points} /> : <Empty>No RTTs in the last {data.hours} h.</Empty>}
        </Panel>
      </div>
      <Panel title={`Probes that flipped PoP in the last ${data.hours} h`}>
        <div className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Flips" value={data.flips.total} />
          <Stat label="Probes that flipped" value={data.flips.probes} tone={data.flips.probes ? "warn" : "ok"} />
        </div>
        {data.flips.total === 0 ? (
          <Empty>No probe changed PoP: the catchment is stable.</Empty>
        ) : (
          <div className="grid gap-4 xl:grid-cols-2">
            <DataTable label="Most frequent moves" columns={[{ label: "From" }, { label: "To" }, { label: "Flips", align: "right" }]}>
              {data.flips.transitions.map((t) => (
                <tr key={`${t.fromCode}>${t.toCode}`}>
                  <td className="py-1.5 pr-3 font-mono">{t.fromCode}</td>
                  <td className="py-1.5 pr-3 font-mono">{t.toCode}</td>
                  <td className="py-1.5 text-right font-mono tabular-nums">{t.flips}</td>
                </tr>
              ))}
            </DataTable>
            <DataTable label="Probes flipping most" columns={[{ label: "Probe" }, { label: "Country" }, { label: "Flips", align: "right" }, { label: "Last move" }]}>
              {data.flips.probesList.map((p) => (
                <tr key={p.probeId}>
                  <td className="py-1.5 pr-3">
                    <Link className="font-mono hover:text-accent" href={`/lookup?q=${encodeURIComponent(p.externalId)}&source=${p.source}`}>
                      {p.externalId}
                    </Link>
                    <span className="ml-1 text-xs text-muted">{p.source}</span>
                  </td>
                  <td className="py-1.5 pr-3">{p.country ?? "?"}</td>
                  <td className="py-1.5 pr-3 text-right font-mono tabular-nums">{p.flips}</td>
                  <td className="py-1.5 font-mono text-xs">
                    {p.lastFrom} → {p.lastTo} <span className="text-muted">{formatUtcLabel(p.lastAt)}</span>
                  </td>
                </tr>
              ))}
            </DataTable>
          </div>
        )}
      </Panel>
    </div>
  );
}
