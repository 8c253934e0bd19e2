"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { FieldErrors, FormMessage, SelectField, TextField } from "@/components/ui/field";
import { ValidityBadge } from "@/components/ui/state-badges";
import { DataTable } from "@/components/ui/table";
import { VRP_FORMAT_LABELS, VRP_FORMATS } from "@/lib/domain/roas/vrp-parse";
import { IDLE, type FormState } from "@/lib/form-state";
import type { ImportPreview } from "@/lib/server/rpki/import-roas";
import { Warnings } from "./warnings";

/** The file as chosen (sent as it is, never read into the page) or the pasted text. */
type ImportInput = { body: File | string; format: string; source: string };
type Applied = { message: string };

const vrpText = (vrp: { prefix: string; maxLength: number; asn: number; source: string }) => `AS${vrp.asn} ${vrp.prefix} max /${vrp.maxLength} (${vrp.source})`;

/**
 * Sends the file to the import route as a raw body: a server action's body is cut at Next's
 * 10 MB proxy limit, and a full validator export is 20 MB or more.
 */
async function sendImport<T>(input: ImportInput, query: Record<string, string>): Promise<FormState<T>> {
  const params = new URLSearchParams({ ...query, format: input.format, source: input.source });
  try {
    const response = await fetch(`/api/v1/roas/import?${params}`, { method: "POST", body: input.body, headers: { "Content-Type": "application/octet-stream" } });
    const payload: unknown = await response.json().catch(() => null);
    if (response.ok) return { status: "ok", message: "", data: payload as T };
    const error = (payload as { error?: { message?: string; fieldErrors?: Record<string, string[]> } } | null)?.error;
    return { status: "error", message: error?.message ?? `The console answered ${response.status}; nothing was changed.`, fieldErrors: error?.fieldErrors };
  } catch {
    return { status: "error", message: "The console could not be reached; nothing was changed. Try again." };
  }
}

export function RoaImport() {
  const router = useRouter();
  const [body, setBody] = useState<File | string>("");
  const [format, setFormat] = useState("auto");
  const [source, setSource] = useState("import");
  const [pending, setPending] = useState<"dry-run" | "apply" | null>(null);
  // The dry run shown belongs to the exact input it was run on; any change hides it.
  const [dryRun, setDryRun] = useState<{ input: ImportInput; state: FormState<ImportPreview> } | null>(null);
  const [applied, setApplied] = useState<FormState<Applied>>(IDLE);
  const file = body instanceof File ? body : null;
  const sameInput = dryRun !== null && dryRun.input.body === body && dryRun.input.format === format && dryRun.input.source === source;
  const shown = sameInput && dryRun.state.status === "ok" ? dryRun.state.data! : null;
  const previewError = sameInput && dryRun.state.status === "error" ? dryRun.state : null;
  const errors = previewError?.fieldErrors ?? {};

  async function runDryRun() {
    const input = { body, format, source };
    setPending("dry-run");
    setApplied(IDLE);
    setDryRun({ input, state: await sendImport<ImportPreview>(input, { mode: "dry-run" }) });
    setPending(null);
  }

  async function apply() {
    if (!shown || !dryRun) return;
    setPending("apply");
    const result = await sendImport<Applied>(dryRun.input, { mode: "apply", basisDigest: shown.basisDigest });
    setPending(null);
    setApplied(result.status === "ok" ? { status: "ok", message: result.data!.message } : result);
    if (result.status === "ok") {
      setDryRun(null);
      router.refresh();
    }
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
            onChange={(event) => setBody(event.target.files?.[0] ?? "")}
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-ink"
          />
          <p className="mt-1 text-xs text-muted">{file ? `${file.name}: ${file.size.toLocaleString("en")} bytes` : "Routinator CSV or JSON, a JSON list, or SLURM."}</p>
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
          hint="For records without a trust anchor (a JSON list, a CSV without that column, rpki-client's ASPA objects)."
        />
      </div>
      <div>
        <label htmlFor="vrp-text" className="block text-sm font-medium">
          Or paste VRPs
        </label>
        <textarea
          id="vrp-text"
          rows={5}
          value={file ? "" : (body as string)}
          disabled={file !== null}
          placeholder={"ASN,IP Prefix,Max Length,Trust Anchor\nAS64500,192.0.2.0/24,24,ripe"}
          onChange={(event) => setBody(event.target.value)}
          className="mt-1 block w-full rounded-md border border-line bg-canvas px-3 py-2 font-mono text-xs text-ink placeholder:text-muted/60 focus:border-accent focus:outline-none disabled:opacity-50"
        />
        <FieldErrors id="vrp-errors" errors={[...(errors.text ?? []), ...(errors.file ?? [])]} className="mt-1 font-mono text-xs" />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" onClick={() => void runDryRun()} disabled={pending !== null || body === ""} className={buttonClass("secondary")}>
          {pending === "dry-run" ? "Checking…" : "Dry run"}
        </button>
        {!shown && <FormMessage state={previewError ?? (applied.status === "ok" ? applied : IDLE)} />}
      </div>

      {shown && (
        <section aria-label="Dry run" className="space-y-3 rounded-lg border border-accent/40 p-4">
          <h3 className="font-semibold">
            Dry run: {VRP_FORMAT_LABELS[shown.format]}, replacing source{shown.sources.length === 1 ? "" : "s"} {shown.sources.join(", ")}
          </h3>
          <p className="text-sm" data-testid="import-counts">
            <Badge tone="ok">{shown.counts.added.toLocaleString("en")} added</Badge> <Badge tone="bad">{shown.counts.removed.toLocaleString("en")} removed</Badge> <Badge tone="muted">{shown.counts.unchanged.toLocaleString("en")} unchanged</Badge>
            {shown.counts.duplicates > 0 && <span className="ml-2 text-xs text-muted">{shown.counts.duplicates} repeated records counted once</span>}
            {shown.format === "slurm" && (
              <span className="ml-2 text-xs text-muted">
                SLURM filters: {shown.counts.filtersBefore} now, {shown.counts.filtersAfter} after
              </span>
            )}
            {shown.format === "routinator-json" && (
              <span className="ml-2 text-xs text-muted">
                ASPA objects of these sources: {shown.counts.aspasBefore.toLocaleString("en")} now, {shown.counts.aspasAfter.toLocaleString("en")} after
              </span>
            )}
          </p>
          <Warnings
            warnings={
              shown.expired
                ? [
                    `${shown.expired.count.toLocaleString("en")} of the file's ${shown.expired.total.toLocaleString("en")} VRPs expired before now (the latest on ${shown.expired.latest.slice(0, 16).replace("T", " ")} UTC): they will be stored as the file gives them, but do not validate. Import a fresh export.`,
                  ]
                : []
            }
          />
          {shown.warnings.map((warning) => (
            <p key={warning} className="text-xs text-muted">
              {warning}
            </p>
          ))}
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
            <button type="button" onClick={() => void apply()} disabled={pending !== null} className={buttonClass("primary")}>
              {pending === "apply" ? "Applying…" : "Apply import"}
            </button>
            <span className="text-xs text-muted">One transaction. Refused if anyone changes the ROAs before you apply.</span>
            <FormMessage state={applied} />
          </div>
        </section>
      )}
    </div>
  );
}
