// The operation's catchment prediction against what the probes measured once it settled.
import { rate, type Accuracy } from "@/lib/domain/catchment/accuracy";
import type { PredictionCheck } from "@/lib/server/operations/get-operation";
import { Panel } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";

const percent = (share: number | null) => (share === null ? "n/a" : `${(share * 100).toFixed(1)} %`);
/** Shares shown per prefix: the PoPs with the most measured answers. */
const SHOWN_POPS = 8;

function MeasuredPrefix({ cidr, accuracy, popCodes }: { cidr: string; accuracy: Accuracy; popCodes: Record<string, string> }) {
  const evidence = (["observed", "inferred", "fallback"] as const).filter((kind) => accuracy.byEvidence[kind].probes > 0);
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <span className="font-mono">{cidr}</span>: right for <strong>{percent(rate(accuracy.affected))}</strong> of the {accuracy.affected.probes} probes the change could move ({percent(rate(accuracy))} of all {accuracy.probes} measured).
      </p>
      {evidence.length > 0 && (
        <p className="text-sm text-muted">
          By evidence: {evidence.map((kind) => `${kind} ${accuracy.byEvidence[kind].correct}/${accuracy.byEvidence[kind].probes}`).join(", ")}.
        </p>
      )}
      <p className="text-sm text-muted">
        Predicted load off by {percent(accuracy.loadError)} of the answers
        {accuracy.worstPop ? `; most at ${popCodes[String(accuracy.worstPop.popId)] ?? `#${accuracy.worstPop.popId}`} (${accuracy.worstPop.error > 0 ? "+" : ""}${(accuracy.worstPop.error * 100).toFixed(1)} points measured)` : ""}.
      </p>
      <DataTable label={`Predicted against measured share, ${cidr}`} columns={[{ label: "PoP" }, { label: "Predicted", align: "right" }, { label: "Measured", align: "right" }]}>
        {accuracy.shares.slice(0, SHOWN_POPS).map((share) => (
          <tr key={String(share.popId)} className="font-mono">
            <td className="py-1">{popCodes[String(share.popId)] ?? `#${share.popId}`}</td>
            <td className="py-1 text-right">{percent(share.predicted)}</td>
            <td className="py-1 text-right">{percent(share.measured)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export function PredictionCheckPanel({ check }: { check: PredictionCheck }) {
  if (check.state === "none") return null;
  return (
    <Panel title="Prediction against measurement">
      {check.state === "pending" ? (
        <p className="text-sm">
          Checked once the operation has settled: {check.settleSeconds} s after it finished
          {check.dueAt ? `, at ${check.dueAt.toISOString().slice(11, 19)} UTC` : ""}, against the answers the probes send by then.
        </p>
      ) : (
        <div className="space-y-4">
          {check.prefixes.map(({ cidr, outcome, popCodes }) =>
            outcome.kind === "measured" ? (
              <MeasuredPrefix key={cidr} cidr={cidr} accuracy={outcome.accuracy} popCodes={popCodes} />
            ) : (
              <p key={cidr} className="text-sm">
                <span className="font-mono">{cidr}</span>: not enough measurements in the {check.settleSeconds} s after this operation to check its prediction ({outcome.probes} of {outcome.predicted} probes answered).
              </p>
            ),
          )}
        </div>
      )}
    </Panel>
  );
}
