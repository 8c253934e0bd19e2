import { Badge } from "@/components/ui/badge";
import { Empty } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatBps, formatPercent } from "@/lib/domain/format";
import { CAPACITY_LIMIT } from "@/lib/domain/operations/safety";
import type { ScenarioReview } from "@/lib/server/placement/get-placement-review";
import { isRegion, REGION_LABELS } from "@/lib/domain/regions";

const ms = (value: number | null) => (value === null ? "–" : `${Math.round(value)} ms`);

function Change({ before, after }: { before: number | null; after: number | null }) {
  if (before === null || after === null) return <span>{ms(after)}</span>;
  const delta = Math.round(after - before);
  return (
    <span>
      {ms(after)} <span className={delta < 0 ? "text-ok" : delta > 0 ? "text-bad" : "text-muted"}>({delta > 0 ? "+" : ""}{delta})</span>
    </span>
  );
}

/** One line on the N-1 table after the scenario: how many single losses break a limit, and the worst. */
function N1Summary({ rows }: { rows: ScenarioReview["nMinusOne"] }) {
  const breaking = rows.filter((row) => row.breaks);
  const worst = breaking[0];
  return (
    <p className="text-sm" data-testid="n-minus-one-summary">
      N-1 with this scenario: {breaking.length === 0 ? <span className="text-ok">no single PoP loss breaks a limit</span> : <span className="text-bad">{breaking.length} of {rows.length} single PoP losses break a limit</span>}
      {worst?.highest && `; worst: losing ${worst.code} puts ${worst.highest.code} at ${formatPercent(worst.highest.utilisation)}`}.
    </p>
  );
}

/** A scenario's predicted result: moved probes with the model's evidence, RTT by region before and after, loads against capacity. */
export function ScenarioResultView({ result, prefix }: { result: ScenarioReview; prefix: string }) {
  const cell = "py-1.5 pr-3 text-right whitespace-nowrap tabular-nums";
  const changedLoads = result.loads
    .filter((load) => load.candidate || Math.abs(load.afterBps - load.beforeBps) > 1)
    .sort((a, b) => b.afterBps / Math.max(1, b.capacityBps) - a.afterBps / Math.max(1, a.capacityBps));
  return (
    <div className="flex flex-col gap-5">
      <p className="text-sm">
        <Badge tone="accent">Estimate</Badge> For {prefix}: <strong>{result.movedProbes.toLocaleString("en")}</strong> probe answers change PoP
        {result.stranded > 0 && <>, {result.stranded.toLocaleString("en")} would find none</>}. Evidence: {result.movedBy.observed} observed in an earlier operation,{" "}
        {result.movedBy.inferred} inferred from topology and neighbours, {result.movedBy.fallback} by RTT and distance alone. Loads at the 7-day peak, over every prefix.
      </p>
      <N1Summary rows={result.nMinusOne} />
      {result.unknownPops.length > 0 && <p className="text-sm text-warn">Left out: the fleet no longer has {result.unknownPops.join(", ")}.</p>}
      <div>
        <h3 className="mb-1 text-sm font-medium">RTT by region, before and after</h3>
        {result.regions.length === 0 ? (
          <Empty>No measured RTT for this prefix.</Empty>
        ) : (
          <DataTable
            columns={[{ label: "Region" }, { label: "Probes", align: "right" }, { label: "p50 now", align: "right" }, { label: "p50 after", align: "right" }, { label: "p90 now", align: "right" }, { label: "p90 after", align: "right" }]}
            label="RTT by region, before and after"
            minWidth="min-w-[36rem]"
          >
            {result.regions.map((region) => (
              <tr key={region.region}>
                <td className="py-1.5 pr-3">{isRegion(region.region) ? REGION_LABELS[region.region] : "Unknown"}</td>
                <td className={cell}>{region.probes.toLocaleString("en")}</td>
                <td className={cell}>{ms(region.before.p50Ms)}</td>
                <td className={cell}>
                  <Change before={region.before.p50Ms} after={region.after.p50Ms} />
                </td>
                <td className={cell}>{ms(region.before.p90Ms)}</td>
                <td className={cell}>
                  <Change before={region.before.p90Ms} after={region.after.p90Ms} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
      <div>
        <h3 className="mb-1 text-sm font-medium">Load per PoP at the peak, where it changes</h3>
        {changedLoads.length === 0 ? (
          <Empty>No PoP&apos;s load changes.</Empty>
        ) : (
          <DataTable columns={[{ label: "PoP" }, { label: "Capacity", align: "right" }, { label: "Now", align: "right" }, { label: "After", align: "right" }]} label="Load per PoP, before and after" minWidth="min-w-[32rem]">
            {changedLoads.map((load) => {
              const after = load.capacityBps > 0 ? load.afterBps / load.capacityBps : 0;
              return (
                <tr key={load.popId}>
                  <td className="py-1.5 pr-3 font-mono">
                    {load.code} {load.candidate && <Badge tone="accent">new</Badge>}
                  </td>
                  <td className={cell}>{formatBps(load.capacityBps)}</td>
                  <td className={cell}>{load.candidate ? "–" : `${formatBps(load.beforeBps)} · ${formatPercent(load.beforeBps / Math.max(1, load.capacityBps))}`}</td>
                  <td className={`${cell} ${after > CAPACITY_LIMIT ? "font-semibold text-bad" : ""}`}>
                    {formatBps(load.afterBps)} · {formatPercent(after)}
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
    </div>
  );
}
