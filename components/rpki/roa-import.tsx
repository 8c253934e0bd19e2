"use client";

import { useRouter } from "next/navigation";
import { startTransition, useActionState, useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { FieldErrors, FormMessage, SelectField, TextField } from "@/components/ui/field";
import { ValidityBadge } from "@/components/ui/state-badges";
import { DataTable } from "@/components/ui/table";
import { VRP_FORMAT_LABELS, VRP_FORMATS } from "@/lib/domain/roas/vrp-parse";
import { IDLE, type FormState } from "@/lib/form-state";
import type { ImportPreview } from "@/lib/server/rpki/import-roas";

type Payload = Record<string, unknown>;
type PreviewAction = (state: FormState<ImportPreview>, payload: Payload) => Promise<FormState<ImportPreview>>;
type ApplyAction = (state: FormState<undefined>, payload: Payload) => Promise<FormState<undefined>>;

const vrpText = (vrp: { prefix: string; maxLength: number; asn: number; source: string }) => `AS${vrp.asn} ${vrp.prefix} max /${vrp.maxLength} (${vrp.source})`;

export function RoaImport({ previewAction, applyAction }: { previewAction: PreviewAction; applyAction: ApplyAction }) {
  const router = useRouter();
  const [preview, runPreview, previewing] = useActionState(previewAction, IDLE);
  const [applied, runApply, applying] = useActionState(applyAction, IDLE);
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [format, setFormat] = useState("auto");
  const [source, setSource] = useState("import");
  // The dry run shown belongs to this exact input; any edit hides it until the next dry run.
  const [previewFor, setPreviewFor] = useState<string | null>(null);
  // Dry runs are numbered so an applied one is hidden and the next one shows.
  const [run, setRun] = useState(0);
  const [appliedRun, setAppliedRun] = useState(-1);
  const inputKey = `${format}|${source}|${text}`;
  const shown = preview.status === "ok" && preview.data && previewFor === inputKey && !(applied.status === "ok" && appliedRun === run) ? preview.data : null;
  const errors = preview.status === "error" ? (preview.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (applied.status === "ok") router.refresh();
  }, [applied, router]);

  async function chooseFile(file: File | undefined) {
    setFileName(file?.name ?? null);
    setText(file ? await file.text() : "");
  }

  function dryRun() {
    setPreviewFor(inputKey);
    setRun(run + 1);
    startTransition(() => runPreview({ text, format, source }));
  }

  function apply() {
    if (!shown) return;
    setAppliedRun(run);
    startTransition(() => runApply({ text, format, source, basisDigest: shown.basisDigest }));
  }

  return (
    <div className="space-y-4">
      <div className="grid gap-4 md:grid-cols-3">
        <div>
          <label htmlFor="vrp-file" className="block text-sm font-medium">
            VRP file
          </label>
          <input
            id="vrp-file"
            type="file"
            accept=".csv,.json,.txt,.slurm,text/csv,application/json"
            onChange={(event) => void chooseFile(event.target.files?.[0])}
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-ink"
          />
          <p className="mt-1 text-xs text-muted">{fileName ? `${fileName}: ${text.length.toLocaleString("en")} characters` : "Routinator CSV or JSON, a JSON list, or SLURM."}</p>
        </div>
        <SelectField
          label="Format"
          name="format"
          value={format}
          onChange={(event) => setFormat(event.target.value)}
          options={[{ value: "auto", label: "Detect from the file" }, ...VRP_FORMATS.map((value) => ({ value, label: VRP_FORMAT_LABELS[value] }))]}
        />
        <TextField
          label="Source"
          name="source"
          value={source}
          onChange={(event) => setSource(event.target.value)}
          errors={errors.source}
          hint="For records without a trust anchor (a JSON list, a CSV without that column)."
        />
      </div>
      <div>
        <label htmlFor="vrp-text" className="block text-sm font-medium">
          Or paste VRPs
        </label>
        <textarea
          id="vrp-text"
          rows={5}
          value={fileName ? "" : text}
          disabled={fileName !== null}
          placeholder={"ASN,IP Prefix,Max Length,Trust Anchor\nAS64500,192.0.2.0/24,24,ripe"}
          onChange={(event) => setText(event.target.value)}
          className="mt-1 block w-full rounded-md border border-line bg-canvas px-3 py-2 font-mono text-xs text-ink placeholder:text-muted/60 focus:border-accent focus:outline-none disabled:opacity-50"
        />
        <FieldErrors id="vrp-errors" errors={[...(errors.text ?? []), ...(errors.file ?? [])]} className="mt-1 font-mono text-xs" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={dryRun} disabled={previewing || text === ""} className={buttonClass("secondary")}>
          {previewing ? "Checking…" : "Dry run"}
        </button>
        {!shown && <FormMessage state={preview.status === "error" ? preview : applied.status === "ok" && appliedRun === run ? applied : IDLE} />}
      </div>

      {shown && (
        <section aria-label="Dry run" className="space-y-3 rounded-lg border border-accent/40 p-4">
          <h3 className="font-semibold">
            Dry run: {VRP_FORMAT_LABELS[shown.format]}, replacing source{shown.sources.length === 1 ? "" : "s"} {shown.sources.join(", ")}
          </h3>
          <p className="text-sm" data-testid="import-counts">
            <Badge tone="ok">{shown.counts.added} added</Badge> <Badge tone="bad">{shown.counts.removed} removed</Badge> <Badge tone="muted">{shown.counts.unchanged} unchanged</Badge>
            {shown.counts.duplicates > 0 && <span className="ml-2 text-xs text-muted">{shown.counts.duplicates} repeated records counted once</span>}
            {shown.format === "slurm" && (
              <span className="ml-2 text-xs text-muted">
                SLURM filters: {shown.counts.filtersBefore} now, {shown.counts.filtersAfter} after
              </span>
            )}
          </p>
          <div>
            <h4 className="text-sm font-medium">Announcements whose validity changes</h4>
            {shown.validityChanges.length === 0 ? (
              <p className="text-sm text-muted">None of the fleet&apos;s prefixes changes validity.</p>
            ) : (
              <DataTable label="Validity changes" columns={[{ label: "Prefix" }, { label: "Origin" }, { label: "In the table at" }, { label: "Now" }, { label: "After" }]}>
                {shown.validityChanges.map((change) => (
                  <tr key={change.prefixId}>
                    <td className="py-1.5 pr-3 font-mono">{change.cidr}</td>
                    <td className="py-1.5 pr-3 font-mono">AS{change.originAsn}</td>
                    <td className="py-1.5 pr-3">{change.pops} PoPs</td>
                    <td className="py-1.5 pr-3">
                      <ValidityBadge validity={change.before} />
                    </td>
                    <td className="py-1.5">
                      <ValidityBadge validity={change.after} />
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </div>
          <div className="grid gap-3 md:grid-cols-2">
            {(["added", "removed"] as const).map((kind) => (
              <div key={kind}>
                <h4 className="text-sm font-medium">
                  {kind === "added" ? "Added" : "Removed"} ({shown.counts[kind]}
                  {shown[kind].length < shown.counts[kind] ? `, first ${shown[kind].length} shown` : ""})
                </h4>
                <ul aria-label={kind === "added" ? "Added ROAs" : "Removed ROAs"} className="max-h-48 overflow-y-auto font-mono text-xs">
                  {shown[kind].map((vrp) => (
                    <li key={vrpText(vrp)} className={kind === "added" ? "text-ok" : "text-bad"}>
                      {kind === "added" ? "+ " : "− "}
                      {vrpText(vrp)}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <button type="button" onClick={apply} disabled={applying} className={buttonClass("primary")}>
              {applying ? "Applying…" : "Apply import"}
            </button>
            <span className="text-xs text-muted">One transaction. Refused if anyone changes the ROAs before you apply.</span>
            <FormMessage state={applied} />
          </div>
        </section>
      )}
    </div>
  );
}
