import { Empty } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatPercent } from "@/lib/domain/format";
import { MIN_PROBES_TO_RANK, WORST_LISTED, type GroupQuality, type QualityFigures, type ServiceQuality } from "@/lib/domain/placement/quality";
import { isRegion, REGION_LABELS } from "@/lib/domain/regions";

const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)} ms`);
const km = (value: number | null) => (value === null ? "–" : `${Math.round(value).toLocaleString("en")} km`);
const share = (value: number | null) => (value === null ? "–" : formatPercent(value));

const COLUMNS = [
  { label: "" },
  { label: "Probes", align: "right" as const },
  { label: "p50", align: "right" as const },
  { label: "p90", align: "right" as const },
  { label: "p99", align: "right" as const },
  { label: "Not nearest PoP", align: "right" as const },
  { label: "Extra distance", align: "right" as const },
  { label: "RTT over fibre bound", align: "right" as const },
];

function Row({ label, figures }: { label: string; figures: QualityFigures }) {
  const cell = "py-1.5 pr-3 text-right whitespace-nowrap tabular-nums";
  return (
    <tr>
      <td className="py-1.5 pr-3 whitespace-nowrap">{label}</td>
      <td className={cell} title={`${figures.withRtt} with an RTT`}>
        {figures.probes.toLocaleString("en")}
      </td>
      <td className={cell}>{ms(figures.p50Ms)}</td>
      <td className={cell}>{ms(figures.p90Ms)}</td>
      <td className={cell}>{ms(figures.p99Ms)}</td>
      <td className={cell}>{share(figures.notNearestShare)}</td>
      <td className={cell}>{km(figures.medianExtraKm)}</td>
      <td className={cell}>{ms(figures.medianExtraRttMs)}</td>
    </tr>
  );
}

/** The worst served countries or networks, by p90. */
function Worst({ what, groups }: { what: "countries" | "networks"; groups: GroupQuality<string>[] }) {
  const label = `Worst ${what}`;
  return (
    <div className="min-w-0">
      <h3 className="mb-1 text-sm font-medium">
        Worst {WORST_LISTED} {what} by p90 <span className="text-xs text-muted">({MIN_PROBES_TO_RANK}+ probes with an RTT)</span>
      </h3>
      {groups.length ? (
        <DataTable columns={[{ label }, ...COLUMNS.slice(1)]} label={label} minWidth="min-w-[44rem]">
          {groups.map((group) => (
            <Row key={group.key} label={group.key} figures={group} />
          ))}
        </DataTable>
      ) : (
        <Empty>No {what === "countries" ? "country" : "network"} has enough probes yet.</Empty>
      )}
    </div>
  );
}

/** Where the fleet's users are badly served: RTT percentiles and path inflation by region, then the worst countries and networks. */
export function QualityTables({ quality }: { quality: Omit<ServiceQuality, "probes"> }) {
  if (quality.overall.probes === 0) return <Empty>No measured answers for this prefix yet.</Empty>;
  const regionName = (key: string) => (isRegion(key) ? REGION_LABELS[key] : "Unknown");
  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm text-muted">
        Each probe&apos;s latest answer. Extra distance: km to the PoP that answered beyond the nearest announcing PoP (median). RTT over fibre bound:
        measured RTT minus light in fibre to the nearest announcing PoP (median), the path inflation of Koch et al. Percentiles are nearest-rank.
      </p>
      <div>
        <h3 className="mb-1 text-sm font-medium">All probes and by region</h3>
        <DataTable columns={[{ label: "Region" }, ...COLUMNS.slice(1)]} label="Service quality by region" minWidth="min-w-[44rem]">
          <Row label="All" figures={quality.overall} />
          {quality.regions.map((group) => (
            <Row key={group.key} label={regionName(group.key)} figures={group} />
          ))}
        </DataTable>
      </div>
      <div className="grid gap-5 xl:grid-cols-2">
        <Worst what="countries" groups={quality.worstCountries} />
        <Worst what="networks" groups={quality.worstAsns} />
      </div>
    </div>
  );
}
