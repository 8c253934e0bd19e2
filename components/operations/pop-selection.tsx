"use client";

import { createContext, useContext, useState, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/button";
import { REGION_LABELS, type Region } from "@/lib/domain/regions";
import { KIND_LABELS, OperationDialog, popNames, type Kind, type OperateActions } from "./operate-controls";

type Selection = { selected: ReadonlySet<string>; toggle: (code: string, on: boolean) => void; select: (codes: string[]) => void; clear: () => void };

const SelectionContext = createContext<Selection | null>(null);

function useSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error("PoP selection controls must sit inside <PopSelection>.");
  return selection;
}

/** Holds which PoPs of the list are selected, for draining (or withdrawing, restoring) several at once. */
export function PopSelection({ children }: { children: ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selection: Selection = {
    selected,
    toggle: (code, on) =>
      setSelected((current) => {
        const next = new Set(current);
        if (on) next.add(code);
        else next.delete(code);
        return next;
      }),
    select: (codes) => setSelected((current) => new Set([...current, ...codes])),
    clear: () => setSelected(new Set()),
  };
  return <SelectionContext value={selection}>{children}</SelectionContext>;
}

export function PopCheckbox({ code }: { code: string }) {
  const { selected, toggle } = useSelection();
  return (
    <input
      type="checkbox"
      aria-label={`Select ${code}`}
      checked={selected.has(code)}
      onChange={(event) => toggle(code, event.target.checked)}
      className="h-5 w-5 accent-accent"
    />
  );
}

type BarProps = OperateActions & { pops: { code: string; region: Region }[] };

/**
 * Selects PoPs by region or all shown, and opens one drain, withdraw or restore for every
 * selected PoP: one preview, one confirm, one operation with the same safety checks.
 */
export function SelectionBar({ pops, ...actions }: BarProps) {
  const { selected, select, clear } = useSelection();
  const [kind, setKind] = useState<Kind | null>(null);
  const regions = [...new Set(pops.map((pop) => pop.region))];
  const codes = pops.map((pop) => pop.code).filter((code) => selected.has(code));
  return (
    <div role="group" aria-label="Operate on several PoPs" className="mb-3 flex flex-wrap items-end gap-2 rounded-lg border border-line bg-panel p-3 text-sm">
      <label>
        <span className="block text-xs text-muted">Select a region</span>
        <select
          value=""
          onChange={(event) => select(pops.filter((pop) => pop.region === event.target.value).map((pop) => pop.code))}
          className="rounded-md border border-line bg-canvas px-2 py-1.5 text-sm"
        >
          <option value="">Region…</option>
          {regions.map((region) => (
            <option key={region} value={region}>
              {REGION_LABELS[region]} ({pops.filter((pop) => pop.region === region).length})
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => select(pops.map((pop) => pop.code))} className={buttonClass("ghost")}>
        All shown
      </button>
      {codes.length > 0 && (
        <>
          <button type="button" onClick={clear} className={buttonClass("ghost")}>
            Clear
          </button>
          <p className="basis-full" aria-live="polite">
            <span className="font-semibold">{codes.length} selected:</span> <span className="font-mono break-words">{codes.join(", ")}</span>
          </p>
          {(["drain", "withdraw", "restore"] as const).map((k) => (
            <button key={k} type="button" onClick={() => setKind(k)} className={buttonClass(k === "withdraw" ? "danger" : "secondary")}>
              {KIND_LABELS[k]} {popNames(codes)}…
            </button>
          ))}
        </>
      )}
      {kind && <OperationDialog {...actions} popCodes={codes} prefixes={[]} kind={kind} prefixIds="" onClose={() => setKind(null)} />}
    </div>
  );
}
