"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { REGION_LABELS, type Region } from "@/lib/domain/regions";
import { IDLE, type FormState } from "@/lib/form-state";
import type { OperationPreview } from "@/lib/server/operations/preview-operation";

type Kind = "drain" | "withdraw" | "restore";
type PreviewAction = (state: FormState<OperationPreview>, payload: Record<string, unknown>) => Promise<FormState<OperationPreview>>;
type RequestAction = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

type Props = {
  popCode: string;
  prefixes: { id: number; cidr: string }[];
  isAdmin: boolean;
  previewAction: PreviewAction;
  requestAction: RequestAction;
};

const KIND_LABELS: Record<Kind, string> = { drain: "Drain", withdraw: "Withdraw", restore: "Restore" };
const KIND_HELP: Record<Kind, string> = {
  drain: "Prepends the AS path at this PoP: clients with another route move away, the session stays up, and the PoP keeps serving those who stay.",
  withdraw: "Stops announcing at this PoP: every client it serves moves to another PoP.",
  restore: "Announces again without prepends: the PoP takes its catchment back.",
};

function percent(value: number, capacity: number) {
  return capacity > 0 ? `${Math.round((value / capacity) * 100)} %` : "–";
}

/** Drain / withdraw / restore buttons for a PoP, each opening a confirm dialog with a live preview. */
export function OperateControls(props: Props) {
  const [kind, setKind] = useState<Kind | null>(null);
  const [prefixId, setPrefixId] = useState("");
  return (
    <div className="flex flex-wrap items-end gap-2">
      <label className="text-sm">
        <span className="block text-xs text-muted">Prefixes</span>
        <select value={prefixId} onChange={(event) => setPrefixId(event.target.value)} className="rounded-md border border-line bg-canvas px-2 py-1.5 text-sm">
          <option value="">All prefixes</option>
          {props.prefixes.map((prefix) => (
            <option key={prefix.id} value={prefix.id}>
              {prefix.cidr}
            </option>
          ))}
        </select>
      </label>
      {(["drain", "withdraw", "restore"] as const).map((k) => (
        <button key={k} type="button" onClick={() => setKind(k)} className={buttonClass(k === "withdraw" ? "danger" : k === "drain" ? "secondary" : "secondary")}>
          {KIND_LABELS[k]}…
        </button>
      ))}
      {kind && <OperationDialog {...props} kind={kind} prefixId={prefixId} onClose={() => setKind(null)} />}
    </div>
  );
}

function OperationDialog({ popCode, prefixes, isAdmin, previewAction, requestAction, kind, prefixId, onClose }: Props & { kind: Kind; prefixId: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [prepend, setPrepend] = useState(3);
  const [reason, setReason] = useState("");
  const [confirmCode, setConfirmCode] = useState("");
  const [overrideReason, setOverrideReason] = useState("");
  const { state, pending, errors, onSubmit } = useFormAction(requestAction);
  const scope = prefixId ? prefixes.find((p) => String(p.id) === prefixId)?.cidr : "all prefixes";

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const preview = useQuery({
    queryKey: ["operation-preview", kind, popCode, prefixId, prepend],
    queryFn: async () => {
      const result = await previewAction(IDLE, { kind, popCodes: popCode, prefixId, prependCount: prepend });
      if (result.status === "error") throw new Error(result.message);
      if (result.status !== "ok" || !result.data) throw new Error("No preview came back.");
      return result.data;
    },
    staleTime: 0,
  });
  const verdict = preview.data?.verdict;
  const needsOverride = verdict ? !verdict.ok : false;
  const ready =
    preview.isSuccess &&
    preview.data.steps.length > 0 &&
    reason.trim().length >= 3 &&
    (kind !== "withdraw" || confirmCode.trim().toUpperCase() === popCode) &&
    (!needsOverride || (isAdmin && overrideReason.trim().length >= 3));

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="operation-title"
      className="m-auto w-[min(100vw-1rem,46rem)] rounded-lg border border-line bg-panel p-0 text-ink backdrop:bg-black/70"
    >
      <form onSubmit={onSubmit} className="max-h-[90vh] overflow-y-auto p-5">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="popCodes" value={popCode} />
        <input type="hidden" name="prefixId" value={prefixId} />
        <h2 id="operation-title" className="text-xl font-semibold">
          {KIND_LABELS[kind]} <span className="font-mono">{popCode}</span> <span className="text-base font-normal text-muted">({scope})</span>
        </h2>
        <p className="mt-1 text-sm text-muted">{KIND_HELP[kind]}</p>

        {kind === "drain" && (
          <div className="mt-4 max-w-48">
            <TextField label="AS-path prepends" name="prependCount" type="number" min={1} max={16} value={prepend} onChange={(e) => setPrepend(Math.max(1, Math.min(16, Number(e.target.value) || 1)))} errors={errors.prependCount} />
          </div>
        )}

        <section aria-label="Preview" aria-busy={preview.isFetching} className="mt-4 space-y-3 rounded-md border border-line bg-canvas p-3 text-sm">
          {preview.isPending && <p className="text-muted">Computing the preview…</p>}
          {preview.isError && <p className="text-bad">{preview.error.message}</p>}
          {preview.data && (
            <>
              {preview.data.steps.length === 0 ? (
                <p className="text-warn">Nothing to change: {popCode} is already in that state.</p>
              ) : (
                <p>
                  Changes {preview.data.steps.length} announcement{preview.data.steps.length === 1 ? "" : "s"}: {preview.data.steps.map((s) => s.cidr).join(", ")}.
                </p>
              )}
              <div aria-label="Safety verdict" role="group">
                <p className={`font-semibold ${verdict!.ok ? "text-ok" : "text-bad"}`}>{verdict!.ok ? "Safety checks pass." : "A safety check fails."}</p>
                <ul className="mt-1 space-y-1">
                  {verdict!.checks.map((check) => (
                    <li key={check.name}>
                      <Badge tone={check.ok ? "ok" : "bad"}>{check.name}</Badge> {check.message}
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <p className="font-semibold">
                  Estimate: {preview.data.capacity.movedProbes} probe answers move
                  {preview.data.capacity.stranded ? `, ${preview.data.capacity.stranded} find no PoP` : ""}
                </p>
                {preview.data.capacity.movedByRegion.length > 0 && (
                  <p className="text-muted">
                    From{" "}
                    {preview.data.capacity.movedByRegion
                      .map((r) => `${r.region === "unknown" ? "unknown" : REGION_LABELS[r.region as Region]} (${r.probes})`)
                      .join(", ")}
                    .
                  </p>
                )}
                {kind === "drain" && preview.data.capacity.movedProbes > 0 && (
                  <p className="text-muted">A drain keeps the clients behind this PoP&apos;s own upstreams (customer routes win over a shorter path): fewer may move.</p>
                )}
                {preview.data.capacity.receivers.length > 0 && (
                  <table className="mt-2 w-full" aria-label="PoPs taking the traffic">
                    <thead className="text-left text-xs text-muted uppercase">
                      <tr>
                        <th className="py-1 font-medium">Takes the traffic</th>
                        <th className="py-1 text-right font-medium">Probes</th>
                        <th className="py-1 text-right font-medium">Load now</th>
                        <th className="py-1 text-right font-medium">Predicted</th>
                      </tr>
                    </thead>
                    <tbody className="font-mono">
                      {preview.data.capacity.receivers.map((r) => (
                        <tr key={r.popId}>
                          <td className="py-0.5">{r.code}</td>
                          <td className="py-0.5 text-right">{r.probes}</td>
                          <td className="py-0.5 text-right">{percent(r.currentBps, r.capacityBps)}</td>
                          <td className={`py-0.5 text-right ${r.predictedBps / r.capacityBps > 0.85 ? "text-bad" : ""}`}>{percent(r.predictedBps, r.capacityBps)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            </>
          )}
        </section>

        <div className="mt-4 space-y-3">
          <div>
            <label htmlFor="reason" className="block text-sm font-medium">
              Reason
            </label>
            <textarea id="reason" name="reason" required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Maintenance on the border router, CHG-1234" className="mt-1 block w-full rounded-md border border-line bg-canvas px-3 py-2 text-sm" aria-describedby="reason-error" />
            <div id="reason-error" aria-live="polite" className="text-xs text-bad">
              {errors.reason?.join(" ")}
            </div>
          </div>
          <TextField label="Ticket (optional)" name="ticket" errors={errors.ticket} />
          {kind === "withdraw" && (
            <TextField label={`Type ${popCode} to confirm the withdraw`} name="confirmCode" value={confirmCode} onChange={(e) => setConfirmCode(e.target.value)} errors={errors.confirmCode} autoComplete="off" />
          )}
          {needsOverride &&
            (isAdmin ? (
              <TextField label="Override reason (admin): why proceed despite the failed check" name="overrideReason" value={overrideReason} onChange={(e) => setOverrideReason(e.target.value)} errors={errors.overrideReason} />
            ) : (
              <p className="text-sm text-bad">Only an admin may override a failed safety check.</p>
            ))}
        </div>

        <div className="mt-5 flex flex-wrap items-center gap-3">
          <button type="submit" disabled={!ready || pending} className={buttonClass(kind === "withdraw" || needsOverride ? "danger" : "primary")}>
            {pending
              ? "Sending to the agent…"
              : needsOverride && !isAdmin
                ? "Refused by a safety check"
                : `${needsOverride ? "Override and " : ""}${KIND_LABELS[kind].toLowerCase()} ${popCode}`}
          </button>
          <button type="button" onClick={() => dialog.current?.close()} className={buttonClass("ghost")}>
            Cancel
          </button>
          <FormMessage state={state} />
        </div>
      </form>
    </dialog>
  );
}
