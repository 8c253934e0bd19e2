import Link from "next/link";
import { Empty } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatBps, formatPercent, formatUtc } from "@/lib/domain/format";
import { CAPACITY_LIMIT } from "@/lib/domain/operations/safety";
import type { PopPeak } from "@/lib/server/placement/load-pop-peaks";

const COLUMNS = [{ label: "PoP" }, { label: "Capacity", align: "right" as const }, { label: "Peak, 7 days", align: "right" as const }, { label: "Peak, 30 days", align: "right" as const }, { label: "Headroom at the 7-day peak", align: "right" as const }];

/** Peak utilisation per PoP over 7 and 30 days, the busiest first; over the 85 % limit in red. */
export function CapacityTable({ peaks }: { peaks: PopPeak[] }) {
  const utilisation = (peak: PopPeak, bps: number | undefined) => (bps === undefined || peak.capacityBps === 0 ? null : bps / peak.capacityBps);
  const sorted = [...peaks].sort((a, b) => (utilisation(b, b.peak7d?.bps) ?? -1) - (utilisation(a, a.peak7d?.bps) ?? -1) || a.code.localeCompare(b.code));
  if (sorted.length === 0) return <Empty>No PoPs yet.</Empty>;
  const cell = (peak: PopPeak, value: { bps: number; at: Date } | null) => {
    const share = utilisation(peak, value?.bps);
    if (!value || share === null) return <span className="text-muted">no samples</span>;
    return (
      <span title={`at ${formatUtc(value.at)}`} className={share > CAPACITY_LIMIT ? "font-semibold text-bad" : undefined}>
        {formatBps(value.bps)} · {formatPercent(share)}
      </span>
    );
  };
  return (
    <DataTable columns={COLUMNS} label="Peak utilisation per PoP" minWidth="min-w-[36rem]">
      {sorted.map((peak) => (
        <tr key={peak.popId}>
          <td className="py-1.5 pr-3 font-mono">
            <Link href={`/pops/${peak.code}`} className="hover:text-accent">
              {peak.code}
            </Link>
          </td>
          <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{formatBps(peak.capacityBps)}</td>
          <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{cell(peak, peak.peak7d)}</td>
          <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{cell(peak, peak.peak30d)}</td>
          <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{peak.peak7d ? formatBps(Math.max(0, peak.capacityBps - peak.peak7d.bps)) : "—"}</td>
        </tr>
      ))}
    </DataTable>
  );
}
