// Fleet-wide: how right the catchment model's predictions were after the last 30 days' operations.
import Link from "next/link";
import { Panel } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { rate, type Tally } from "@/lib/domain/catchment/accuracy";
import type { PredictionRecord } from "@/lib/server/operations/get-prediction-record";

const percent = (tally: Tally | null) => (tally && tally.probes ? `${((rate(tally) ?? 0) * 100).toFixed(1)} %` : "not enough measurements");

export function PredictionRecordPanel({ record, days }: { record: PredictionRecord; days: number }) {
  return (
    <Panel title={`Prediction accuracy, last ${days} days`} className="mt-4">
      {record.latest.length === 0 ? (
        <p className="text-sm text-muted">No operation has been checked yet: each drain, withdraw and restore is, once the probes have measured after it.</p>
      ) : (
        <div className="space-y-3">
          <ul className="space-y-1 text-sm">
            {record.byKind.map((entry) => (
              <li key={entry.kind}>
                <span className="font-semibold capitalize">{entry.kind}</span>: right for {percent(entry.affected)} of the {entry.affected.probes} probes {entry.operations} operation{entry.operations === 1 ? "" : "s"} could move
                {entry.tooFew ? ` (${entry.tooFew} without enough measurements)` : ""}.
              </li>
            ))}
          </ul>
          <DataTable label="Operations checked" columns={[{ label: "Operation" }, { label: "Finished" }, { label: "Right", align: "right" }]}>
            {record.latest.map((operation) => (
              <tr key={operation.id}>
                <td className="py-1">
                  <Link href={`/operations/${operation.id}`} className="text-accent hover:underline">
                    {operation.kind} {operation.popCode ?? ""}
                  </Link>
                </td>
                <td className="py-1 font-mono text-xs">{operation.finishedAt.toISOString().slice(0, 16).replace("T", " ")}</td>
                <td className="py-1 text-right font-mono">{percent(operation.affected)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </Panel>
  );
}
