import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Empty } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatBps, formatPercent } from "@/lib/domain/format";
import type { NMinusOneRow } from "@/lib/domain/placement/n-minus-one";

const COLUMNS = [{ label: "If this PoP is lost" }, { label: "Verdict" }, { label: "Its traffic goes to" }, { label: "Highest load", align: "right" as const }, { label: "Probes moving", align: "right" as const }];

/** The N-1 table: each PoP's loss at the peak, worst first. An estimate by the catchment model. */
export function NMinusOneTable({ rows, label = "N-1 resilience" }: { rows: NMinusOneRow[]; label?: string }) {
  if (rows.length === 0) return <Empty>No PoP announces a prefix yet.</Empty>;
  return (
    <DataTable columns={COLUMNS} label={label} minWidth="min-w-[46rem]">
      {rows.map((row) => (
        <tr key={row.popId} className={row.breaks ? "bg-bad/5" : undefined}>
          <td className="py-1.5 pr-3 font-mono">
            {row.popId < 0 ? (
              <span>
                {row.code} <span className="font-sans text-xs text-accent">candidate</span>
              </span>
            ) : (
              <Link href={`/pops/${row.code}`} className="hover:text-accent">
                {row.code}
              </Link>
            )}
          </td>
          <td className="py-1.5 pr-3">
            {row.breaks ? <Badge tone="bad">breaks</Badge> : <Badge tone="ok">holds</Badge>}
            {row.overLimit.length > 0 && <div className="text-xs text-bad">{row.overLimit.map((load) => `${load.code} ${formatPercent(load.utilisation)}`).join(", ")} over 85 %</div>}
            {row.floorBreach && <div className="text-xs text-bad">{row.floorBreach}</div>}
            {row.stranded > 0 && <div className="text-xs text-bad">{row.stranded} answers would find no PoP</div>}
          </td>
          <td className="py-1.5 pr-3 text-xs">
            {row.receivers.slice(0, 4).map((receiver) => (
              <div key={receiver.popId} className="whitespace-nowrap">
                {receiver.code}: {formatBps(receiver.predictedBps)} of {formatBps(receiver.capacityBps)}
              </div>
            ))}
            {row.receivers.length > 4 && <div className="text-muted">and {row.receivers.length - 4} more</div>}
          </td>
          <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{row.highest ? `${row.highest.code} ${formatPercent(row.highest.utilisation)}` : "–"}</td>
          <td className="py-1.5 pr-3 text-right tabular-nums" title={`observed ${row.movedBy.observed}, inferred ${row.movedBy.inferred}, by RTT and distance ${row.movedBy.fallback}`}>
            {row.movedProbes.toLocaleString("en")}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
