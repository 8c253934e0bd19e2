"use client";

import { useEffect, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FieldErrors, FormMessage, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { useCitySearch } from "@/lib/api/queries";
import type { Place } from "@/lib/domain/placement/city-search";
import { MAX_SCENARIO_PREPENDS, type ScenarioDefinition } from "@/lib/domain/placement/scenario-input";
import type { FormState } from "@/lib/form-state";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;
type PopChoice = { code: string; city: string };
type Upstream = { asn: number; name: string };
/** A candidate as typed: numbers stay text until sent, so a half-typed field is not lost. */
type Candidate = { key: number; city: string; country: string; latitude: number; longitude: number; capacity: string; asns: string };
type PrependRow = { key: number; pop: string; prepends: string };

type Props = {
  action: Action;
  pops: PopChoice[];
  upstreams: Upstream[];
  initial?: { id: string; name: string; notes: string; definition: ScenarioDefinition };
};

const INPUT = "rounded-md border border-line bg-canvas px-2 py-1.5 text-sm";
let nextKey = 1;

/** The definition as the server reads it; what does not parse is sent as typed, for the server to name. */
function definitionOf(removed: ReadonlySet<string>, candidates: Candidate[], prepends: PrependRow[]) {
  return {
    removed: [...removed].sort(),
    added: candidates.map((c) => ({
      city: c.city,
      country: c.country,
      latitude: c.latitude,
      longitude: c.longitude,
      capacityGbps: c.capacity.trim() === "" ? null : Number(c.capacity),
      upstreamAsns: c.asns.split(/[\s,]+/).filter(Boolean),
    })),
    prepends: prepends.filter((row) => row.pop).map((row) => ({ pop: row.pop, prepends: Number(row.prepends) })),
  };
}

/** Finds a city to put a candidate PoP in, as the operator types (two letters or more). */
function CitySearch({ onPick }: { onPick: (place: Place) => void }) {
  const [typed, setTyped] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQuery(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const found = useCitySearch(query);
  return (
    <div>
      <label htmlFor="city-search" className="block text-sm font-medium">
        Add a candidate PoP in a city
      </label>
      <input id="city-search" type="search" value={typed} onChange={(event) => setTyped(event.target.value)} placeholder="Nairobi, or Paris, US" autoComplete="off" className={`mt-1 w-full ${INPUT}`} />
      {found.isError && <p className="mt-1 text-xs text-bad">{found.error.message}</p>}
      {found.data && (
        <ul aria-label="Cities found" className="mt-1 divide-y divide-line rounded-md border border-line">
          {found.data.cities.length === 0 && <li className="px-2 py-1.5 text-xs text-muted">No city of that name.</li>}
          {found.data.cities.map((place) => (
            <li key={`${place.name}-${place.country}-${place.lat}`}>
              <button
                type="button"
                onClick={() => {
                  onPick(place);
                  setTyped("");
                }}
                className="w-full px-2 py-1.5 text-left text-sm hover:bg-panel-2"
              >
                {place.name}, {place.country} <span className="text-xs text-muted">· {place.population.toLocaleString("en")} people</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Creates or edits a placement scenario: PoPs removed, candidate PoPs added, prepends per PoP. */
export function ScenarioEditor({ action, pops, upstreams, initial }: Props) {
  const { state, pending, errors, onSubmit } = useFormAction(action);
  const [removed, setRemoved] = useState<Set<string>>(() => new Set(initial?.definition.removed));
  const [candidates, setCandidates] = useState<Candidate[]>(() =>
    (initial?.definition.added ?? []).map((pop) => ({ key: nextKey++, city: pop.city, country: pop.country, latitude: pop.latitude, longitude: pop.longitude, capacity: String(pop.capacityGbps), asns: pop.upstreamAsns.join(", ") })),
  );
  const [prepends, setPrepends] = useState<PrependRow[]>(() => (initial?.definition.prepends ?? []).map((row) => ({ key: nextKey++, pop: row.pop, prepends: String(row.prepends) })));
  const definitionErrors = Object.entries(errors)
    .filter(([field]) => field === "definition" || field.startsWith("definition."))
    .flatMap(([, messages]) => messages);

  const toggle = (code: string) =>
    setRemoved((current) => {
      const next = new Set(current);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  const updateCandidate = (key: number, change: Partial<Candidate>) => setCandidates((current) => current.map((c) => (c.key === key ? { ...c, ...change } : c)));
  const updatePrepend = (key: number, change: Partial<PrependRow>) => setPrepends((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" aria-label={initial ? `Edit scenario ${initial.name}` : "New scenario"}>
      {initial && <input type="hidden" name="id" value={initial.id} />}
      <input type="hidden" name="definition" value={JSON.stringify(definitionOf(removed, candidates, prepends))} />
      <div className="grid gap-4 md:grid-cols-2">
        <TextField label="Name" name="name" defaultValue={initial?.name} errors={errors.name} placeholder="A site in East Africa" />
        <div>
          <label htmlFor="notes" className="block text-sm font-medium">
            Notes
          </label>
          <textarea id="notes" name="notes" rows={2} defaultValue={initial?.notes} className={`mt-1 w-full ${INPUT}`} placeholder="Why, and for which review" />
          <FieldErrors id="notes-error" errors={errors.notes} />
        </div>
      </div>

      <fieldset>
        <legend className="text-sm font-medium">Remove PoPs</legend>
        <p className="text-xs text-muted">Their traffic goes where the catchment model predicts.</p>
        <div className="mt-2 flex flex-wrap gap-2">
          {pops.map((pop) => (
            <label key={pop.code} className={`flex items-center gap-1.5 rounded border px-2 py-1 text-xs ${removed.has(pop.code) ? "border-bad text-bad" : "border-line"}`} title={pop.city}>
              <input type="checkbox" checked={removed.has(pop.code)} onChange={() => toggle(pop.code)} />
              {pop.code}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Candidate PoPs</legend>
        <CitySearch onPick={(place) => setCandidates((current) => [...current, { key: nextKey++, city: place.name, country: place.country, latitude: place.lat, longitude: place.lon, capacity: "100", asns: "" }])} />
        {candidates.map((candidate) => (
          <div key={candidate.key} role="group" aria-label={`Candidate PoP in ${candidate.city}`} className="rounded-md border border-line p-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="font-medium">
                {candidate.city}, {candidate.country} <span className="text-xs text-muted">({candidate.latitude.toFixed(2)}, {candidate.longitude.toFixed(2)})</span>
              </span>
              <button type="button" className={buttonClass("ghost")} onClick={() => setCandidates((current) => current.filter((c) => c.key !== candidate.key))}>
                Remove
              </button>
            </div>
            <div className="mt-2 grid gap-3 sm:grid-cols-[8rem_1fr]">
              <label className="text-sm">
                Capacity (Gbit/s)
                <input inputMode="numeric" value={candidate.capacity} onChange={(event) => updateCandidate(candidate.key, { capacity: event.target.value })} className={`mt-1 w-full ${INPUT}`} />
              </label>
              <label className="text-sm">
                Upstream ASNs
                <input value={candidate.asns} onChange={(event) => updateCandidate(candidate.key, { asns: event.target.value })} placeholder="AS2914, 3356" className={`mt-1 w-full ${INPUT}`} />
              </label>
            </div>
            {upstreams.length > 0 && (
              <div className="mt-2 flex flex-wrap gap-1" aria-label="The fleet's upstreams">
                {upstreams.map((upstream) => (
                  <button
                    key={upstream.asn}
                    type="button"
                    className="rounded border border-line px-1.5 py-0.5 text-xs text-muted hover:text-ink"
                    onClick={() => updateCandidate(candidate.key, { asns: [...new Set([...candidate.asns.split(/[\s,]+/).filter(Boolean), `AS${upstream.asn}`])].join(", ") })}
                  >
                    + AS{upstream.asn} {upstream.name}
                  </button>
                ))}
              </div>
            )}
          </div>
        ))}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Steady-state prepends</legend>
        {prepends.map((row) => (
          <div key={row.key} className="flex flex-wrap items-end gap-2">
            <label className="text-sm">
              PoP
              <select value={row.pop} onChange={(event) => updatePrepend(row.key, { pop: event.target.value })} className={`mt-1 block ${INPUT}`}>
                <option value="">Choose…</option>
                {pops.map((pop) => (
                  <option key={pop.code} value={pop.code}>
                    {pop.code}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              Prepends
              <input type="number" min={0} max={MAX_SCENARIO_PREPENDS} value={row.prepends} onChange={(event) => updatePrepend(row.key, { prepends: event.target.value })} className={`mt-1 block w-20 ${INPUT}`} />
            </label>
            <button type="button" className={buttonClass("ghost")} onClick={() => setPrepends((current) => current.filter((r) => r.key !== row.key))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className={buttonClass("secondary")} onClick={() => setPrepends((current) => [...current, { key: nextKey++, pop: "", prepends: "1" }])}>
          Add a prepend
        </button>
      </fieldset>

      <FieldErrors id="definition-error" errors={definitionErrors} className="text-sm" />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Saving…" : "Save scenario"}
        </button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
