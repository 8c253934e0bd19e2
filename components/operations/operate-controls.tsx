"use client";

import { useEffect, useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { evidenceSplit } from "@/lib/domain/catchment/evidence";
import { REGION_LABELS, type Region } from "@/lib/domain/regions";
import { useOperationPreview } from "@/lib/api/queries";
import type { FormState } from "@/lib/form-state";

type RequestAction = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

export type OperateActions = { isAdmin: boolean; requestAction: RequestAction };

type Props = OperateActions & {
  popCode: string;
  prefixes: { id: number; cidr: string }[];
};

export type Kind = "drain" | "withdraw" | "restore";

export const KIND_LABELS: Record<Kind, string> = { drain: "Drain", withdraw: "Withdraw", restore: "Restore" };
const KIND_HELP: Record<Kind, string> = {
  drain: "Prepends the AS path: clients with another route move away, the sessions stay up, and the PoP keeps serving those who stay.",
  withdraw: "Stops announcing: every client served here moves to another PoP.",
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
      {kind && (
        <OperationDialog
          isAdmin={props.isAdmin}
          requestAction={props.requestAction}
          popCodes={[props.popCode]}
          prefixes={props.prefixes}
          kind={kind}
          prefixIds={prefixId}
          onClose={() => setKind(null)}
        />
      )}
    </div>
  );
}

/** Names the PoPs of an operation in a label: every code up to three, else how many. */
export function popNames(popCodes: readonly string[]) {
  return popCodes.length <= 3 ? popCodes.join(", ") : `${popCodes.length} PoPs`;
}

type DialogProps = OperateActions & {
  popCodes: string[];
  /** The prefixes the scope may name, for its label. */
  prefixes: { id: number; cidr: string }[];
  kind: Kind;
  /** Prefix ids, comma-separated; empty: every prefix of the PoPs. */
  prefixIds: string;
  onClose: () => void;
};

/** The confirm dialog of a drain, withdraw or restore of one PoP or several: a live preview, the safety verdict, then one confirm. */
export function OperationDialog({ popCodes, prefixes, isAdmin, requestAction, kind, onClose, prefixIds: initialPrefixIds }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [prefixIds, setPrefixIds] = useState(initialPrefixIds);
  const [prepend, setPrepend] = useState(3);
  const [reason, setReason] = useState("");
  const [confirmCode, setConfirmCode] = useState("");
  const [confirmTouched, setConfirmTouched] = useState(false);
  const [overrideReason, setOverrideReason] = useState("");
  const { state, pending, errors, onSubmit } = useFormAction(requestAction);
  const popCode = popCodes.join(", ");
  const names = popNames(popCodes);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const preview = useOperationPreview({ kind, popCodes: popCode, prefixIds, prependCount: prepend });
  const ids = prefixIds.split(",").filter(Boolean).map(Number);
  const scope = ids.length === 0 ? "all prefixes" : ids.map((id) => prefixes.find((p) => p.id === id)?.cidr ?? preview.data?.steps.find((s) => s.prefixId === id)?.cidr ?? `#${id}`).join(", ");
  const verdict = preview.data?.verdict;
  const needsOverride = verdict ? !verdict.ok : false;
  const confirmMatches = confirmCode.trim().toUpperCase() === popCode;
  // Said as soon as what is typed can no longer become the code, or when the operator moves on.
  const confirmError =
    kind === "withdraw" && confirmCode.trim() && !confirmMatches && (confirmTouched || !popCode.startsWith(confirmCode.trim().toUpperCase()))
      ? [`That is not ${popCode}: type ${popCode} exactly to confirm the withdraw.`]
      : undefined;
  const ready =
    preview.isSuccess &&
    preview.data.steps.length > 0 &&
    reason.trim().length >= 3 &&
    (kind !== "withdraw" || confirmMatches) &&
    (!needsOverride || (isAdmin && overrideReason.trim().length >= 3));
  // A restore refused only by RPKI can still go ahead for the prefixes that are not at fault.
  const rpki = verdict?.checks.find((check) => check.name === "rpki");
  const onlyRpkiFails = verdict ? verdict.checks.every((check) => check.ok || check.name === "rpki") && rpki?.ok === false : false;
  const otherPrefixes = onlyRpkiFails && preview.data ? [...new Map(preview.data.steps.filter((s) => !rpki?.prefixIds?.includes(s.prefixId)).map((s) => [s.prefixId, s.cidr])).entries()] : [];

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="operation-title"
      className="m-auto w-[min(100vw-1rem,46rem)] max-w-[calc(100vw-1rem)] rounded-lg border border-line bg-panel p-0 text-ink backdrop:bg-black/70"
    >
      <form onSubmit={onSubmit} className="max-h-[calc(100dvh-2rem)] overflow-y-auto p-4 sm:p-5">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="popCodes" value={popCode} />
        <input type="hidden" name="prefixIds" value={prefixIds} />
        <h2 id="operation-title" className="text-xl font-semibold">
          {KIND_LABELS[kind]} <span className="font-mono break-words">{popCode}</span> <span className="text-base font-normal text-muted">({scope})</span>
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
                <p className="text-warn">Nothing to change: {names} {popCodes.length === 1 ? "is" : "are"} already in that state.</p>
              ) : (
                <p>
                  Changes {preview.data.steps.length} announcement{preview.data.steps.length === 1 ? "" : "s"}: {preview.data.steps.map((s) => s.cidr).join(", ")}.
                </p>
              )}
              <div aria-label="Safety verdict" role="group">
                <p className={`font-semibold ${verdict!.ok ? "text-ok" : "text-bad"}`}>
                  {verdict!.ok ? "Safety checks pass." : "A safety check fails."}
                  {verdict!.checks.some((check) => check.warning) && <span className="text-warn"> Read the warning before you confirm.</span>}
                </p>
                <ul className="mt-1 space-y-1">
                  {verdict!.checks.map((check) => (
                    <li key={check.name} className={check.warning ? "text-warn" : undefined}>
                      <Badge tone={check.warning ? "warn" : check.ok ? "ok" : "bad"}>{check.name}</Badge> {check.message}
                    </li>
                  ))}
                </ul>
                {onlyRpkiFails && (
                  <div role="group" aria-label="Ways out" className="mt-2 rounded-md border border-line p-2">
                    <p className="font-semibold">Ways out</p>
                    {otherPrefixes.length > 0 && (
                      <button type="button" onClick={() => setPrefixIds(otherPrefixes.map(([id]) => id).join(","))} className={buttonClass("secondary", "mt-1 text-left")}>
                        {KIND_LABELS[kind]} the other prefixes only ({otherPrefixes.map(([, cidr]) => cidr).join(", ")})
                      </button>
                    )}
                    <p className="mt-1 text-muted">
                      {isAdmin ? "As an admin you may override the check below, with a written reason." : "Or ask an admin to override the check with a written reason."} Or fix the ROA.
                    </p>
                  </div>
                )}
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
                {evidenceSplit(preview.data.capacity) && <p className="text-muted">Evidence: {evidenceSplit(preview.data.capacity)}.</p>}
                {preview.data.capacity.receivers.length > 0 && (
                  <div className="mt-2 overflow-x-auto">
                    <table className="w-full" aria-label="PoPs taking the traffic">
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
                  </div>
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
            <TextField
              label={`Type ${popCode} to confirm the withdraw`}
              name="confirmCode"
              value={confirmCode}
              onChange={(e) => setConfirmCode(e.target.value)}
              onBlur={() => setConfirmTouched(true)}
              errors={confirmError ?? errors.confirmCode}
              autoComplete="off"
            />
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
                : `${needsOverride ? "Override and " : ""}${KIND_LABELS[kind].toLowerCase()} ${names}`}
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
