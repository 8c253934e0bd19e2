"use client";

import { useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { DataTable } from "@/components/ui/table";
import { apiErrorOf } from "@/lib/api/fetch-json";
import type { Objective, RecommendedSet, RemovalCost } from "@/lib/domain/placement/recommend";
import { isRegion, REGION_LABELS } from "@/lib/domain/regions";

type Result = { prefix: { cidr: string }; objective: Objective; k: number; candidates: number; unknownCities: string[]; sets: RecommendedSet[]; removals: RemovalCost[] };
type Line = { progress?: { done: number; total: number }; result?: Result; error?: { message: string } };

const OBJECTIVES: Record<Objective, string> = { "traffic-p90": "traffic-weighted p90 RTT", "worst-region-p90": "the worst region's p90 RTT" };
const INPUT = "mt-1 block rounded-md border border-line bg-canvas px-2 py-1.5 text-sm";
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Reads the recommendation's NDJSON answer line by line, as the server sends it. */
async function* lines(response: Response): AsyncGenerator<Line> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value, { stream: !done });
    const complete = buffered.split("\n");
    buffered = complete.pop() ?? "";
    for (const text of complete) if (text.trim()) yield JSON.parse(text) as Line;
    if (done) return;
  }
}

/** Where k new sites would help most, and which PoP costs least to remove; progress on screen while the server ranks. */
export function RecommendationsPanel({ prefix }: { prefix: { id: number; cidr: string } }) {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = progress !== null && result === null && error === null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const cities = String(form.get("cities") ?? "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    setResult(null);
    setError(null);
    setProgress({ done: 0, total: 1 });
    try {
      const response = await fetch("/api/v1/placement/recommendations", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ prefix: String(prefix.id), k: Number(form.get("k")), objective: form.get("objective"), ...(cities.length ? { cities } : {}) }),
      });
      if (!response.ok) throw apiErrorOf(response.status, await response.json().catch(() => null));
      for await (const line of lines(response)) {
        if (line.progress) setProgress(line.progress);
        if (line.result) setResult(line.result);
        if (line.error) setError(line.error.message);
      }
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  const regionName = (region: string) => (isRegion(region) ? REGION_LABELS[region] : "Unknown");
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} aria-label="Recommend new sites" className="flex flex-wrap items-end gap-3" data-print="hide">
        <label className="text-sm">
          New sites (k)
          <select name="k" defaultValue="1" className={INPUT}>
            {[1, 2, 3, 4, 5].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          Improve
          <select name="objective" defaultValue="traffic-p90" className={INPUT}>
            {Object.entries(OBJECTIVES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="min-w-0 grow text-sm">
          Candidate cities (optional; one &quot;City, CC&quot; per line; empty: the 1,000 largest)
          <textarea name="cities" rows={2} className={`${INPUT} w-full`} placeholder={"Nairobi, KE\nLagos, NG"} />
        </label>
        <button type="submit" disabled={running} className={buttonClass("secondary")}>
          {running ? "Ranking…" : `Rank sites for ${prefix.cidr}`}
        </button>
      </form>
      {running && progress && (
        <div role="progressbar" aria-label="Ranking candidate sites" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done} className="h-2 overflow-hidden rounded bg-panel-2">
          <div className="h-full bg-accent transition-[width]" style={{ width: `${(100 * progress.done) / Math.max(1, progress.total)}%` }} />
        </div>
      )}
      {error && <p className="text-sm text-bad">{error}</p>}
      {result && (
        <>
          <p className="text-sm text-muted">
            An estimate for {result.prefix.cidr}: {result.candidates.toLocaleString("en")} candidate cities, {result.k} new site{result.k === 1 ? "" : "s"} chosen greedily, improving {OBJECTIVES[result.objective]}.
            {result.unknownCities.length > 0 && <span className="text-warn"> Not found in the city dataset: {result.unknownCities.join("; ")}.</span>}
          </p>
          <DataTable columns={[{ label: "#" }, { label: "Sites" }, { label: "Now", align: "right" }, { label: "With them", align: "right" }, { label: "Gain", align: "right" }, { label: "Regions that gain" }]} label="Recommended sites" minWidth="min-w-[40rem]">
            {result.sets.map((set, index) => (
              <tr key={set.sites.map((site) => `${site.name}-${site.country}`).join("+")}>
                <td className="py-1.5 pr-3 tabular-nums">{index + 1}</td>
                <td className="py-1.5 pr-3">{set.sites.map((site) => `${site.name}, ${site.country}`).join(" + ")}</td>
                <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{ms(set.before)}</td>
                <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{ms(set.after)}</td>
                <td className="py-1.5 pr-3 text-right whitespace-nowrap tabular-nums">{ms(set.gainMs)}</td>
                <td className="py-1.5 pr-3 text-xs">{set.regions.map((region) => `${regionName(region.region)} ${Math.round(region.beforeMs)} → ${Math.round(region.afterMs)} ms`).join(", ") || "none"}</td>
              </tr>
            ))}
          </DataTable>
          <DataTable columns={[{ label: "Removing" }, { label: "Now", align: "right" }, { label: "After", align: "right" }, { label: "Cost", align: "right" }, { label: "Probes moving", align: "right" }]} label="Cheapest PoPs to remove" minWidth="min-w-[32rem]">
            {result.removals.slice(0, 10).map((removal) => (
              <tr key={removal.popId}>
                <td className="py-1.5 pr-3 font-mono">{removal.code}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{ms(removal.before)}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{ms(removal.after)}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{ms(removal.costMs)}</td>
                <td className="py-1.5 pr-3 text-right tabular-nums">{removal.movedProbes.toLocaleString("en")}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </div>
  );
}
