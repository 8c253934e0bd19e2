"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FieldErrors, FormMessage, SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { REGION_LABELS, REGIONS } from "@/lib/domain/regions";
import type { FormState } from "@/lib/form-state";

export type PopFormValues = {
  code: string;
  name: string;
  city: string;
  country: string;
  latitude: number | string;
  longitude: number | string;
  region: string;
  capacityGbps: number | string;
  status: string;
  agentUrl: string;
  identities: string;
  hasAgentSecret: boolean;
  upstreams: { id?: number; name: string; kind: string; peerAsn: string; peerAddress: string }[];
};

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

const EMPTY_UPSTREAM = { name: "", kind: "transit", peerAsn: "", peerAddress: "" };

let nextRowKey = 0;

export function PopForm({ action, values, mode }: { action: Action; values: PopFormValues; mode: "create" | "edit" }) {
  const { state, pending, errors, onSubmit } = useFormAction(action);
  const [upstreams, setUpstreams] = useState(() => values.upstreams.map((upstream) => ({ ...upstream, key: nextRowKey++ })));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6" aria-label={mode === "create" ? "New PoP" : `Edit ${values.code}`}>
      {mode === "edit" && <input type="hidden" name="originalCode" value={values.code} />}
      <fieldset className="grid gap-4 rounded-lg border border-line bg-panel p-4 md:grid-cols-3">
        <legend className="px-1 text-sm font-semibold text-muted uppercase">PoP</legend>
        <TextField label="Code" name="code" defaultValue={values.code} errors={errors.code} hint="IATA code and a number, e.g. AMS1" required />
        <TextField label="Name" name="name" defaultValue={values.name} errors={errors.name} required />
        <SelectField
          label="Status"
          name="status"
          defaultValue={values.status}
          errors={errors.status}
          options={["active", "maintenance", "decommissioned"].map((value) => ({ value, label: value }))}
        />
        <TextField label="City" name="city" defaultValue={values.city} errors={errors.city} required />
        <TextField label="Country" name="country" defaultValue={values.country} errors={errors.country} hint="ISO code, e.g. NL" maxLength={2} required />
        <SelectField
          label="Region"
          name="region"
          defaultValue={values.region}
          errors={errors.region}
          options={[{ value: "", label: "Pick a region" }, ...REGIONS.map((value) => ({ value, label: REGION_LABELS[value] }))]}
        />
        <TextField label="Latitude" name="latitude" inputMode="decimal" defaultValue={values.latitude} errors={errors.latitude} hint="-90 to 90" required />
        <TextField label="Longitude" name="longitude" inputMode="decimal" defaultValue={values.longitude} errors={errors.longitude} hint="-180 to 180" required />
        <TextField label="Capacity (Gbps)" name="capacityGbps" inputMode="numeric" defaultValue={values.capacityGbps} errors={errors.capacityGbps} required />
      </fieldset>

      <fieldset className="grid gap-4 rounded-lg border border-line bg-panel p-4 md:grid-cols-2">
        <legend className="px-1 text-sm font-semibold text-muted uppercase">Agent and catchment identity</legend>
        <TextField label="Agent URL" name="agentUrl" type="url" defaultValue={values.agentUrl} errors={errors.agentUrl} placeholder="https://ams1-agent.example.net:8443" />
        <TextField
          label="Agent secret"
          name="agentSecret"
          type="password"
          autoComplete="new-password"
          errors={errors.agentSecret}
          hint={values.hasAgentSecret ? "Set. Leave blank to keep it; type a new one to rotate it." : "At least 32 characters; the agent's config holds the same."}
        />
        <div className="md:col-span-2">
          <TextField
            label="Identities"
            name="identities"
            defaultValue={values.identities}
            errors={errors.identities}
            hint="The names this PoP's servers answer with (CHAOS TXT hostname.bind / id.server, NSID, or a CNAME target): exact names or patterns with *, separated by commas."
          />
        </div>
      </fieldset>

      <fieldset className="rounded-lg border border-line bg-panel p-4">
        <legend className="px-1 text-sm font-semibold text-muted uppercase">Upstreams</legend>
        <FieldErrors id="upstreams-error" errors={errors.upstreams} className="mb-2 text-sm" />
        <div className="space-y-3">
          {upstreams.map((upstream, index) => (
            <div key={upstream.key} className="grid items-start gap-3 rounded-md border border-line p-3 md:grid-cols-[2fr_1fr_1fr_2fr_auto]" data-testid="upstream-row">
              {upstream.id && <input type="hidden" name={`upstreams.${index}.id`} value={upstream.id} />}
              <TextField label="Upstream name" name={`upstreams.${index}.name`} defaultValue={upstream.name} errors={errors[`upstreams.${index}.name`]} />
              <SelectField
                label="Kind"
                name={`upstreams.${index}.kind`}
                defaultValue={upstream.kind}
                errors={errors[`upstreams.${index}.kind`]}
                options={[
                  { value: "transit", label: "Transit" },
                  { value: "peering", label: "Peering" },
                  { value: "ix", label: "IX" },
                ]}
              />
              <TextField label="Peer ASN" name={`upstreams.${index}.peerAsn`} defaultValue={upstream.peerAsn} errors={errors[`upstreams.${index}.peerAsn`]} placeholder="AS64500" />
              <TextField label="Peer address" name={`upstreams.${index}.peerAddress`} defaultValue={upstream.peerAddress} errors={errors[`upstreams.${index}.peerAddress`]} placeholder="192.0.2.1" />
              <button
                type="button"
                className={buttonClass("ghost", "md:mt-6")}
                onClick={() => setUpstreams(upstreams.filter((row) => row.key !== upstream.key))}
                aria-label={`Remove upstream ${upstream.name || index + 1}`}
              >
                Remove
              </button>
            </div>
          ))}
        </div>
        <button type="button" className={buttonClass("secondary", "mt-3")} onClick={() => setUpstreams([...upstreams, { ...EMPTY_UPSTREAM, key: nextRowKey++ }])}>
          Add upstream
        </button>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Saving…" : mode === "create" ? "Create PoP" : "Save changes"}
        </button>
        <Link href={mode === "create" ? "/pops" : `/pops/${values.code}`} className={buttonClass("ghost")}>
          Cancel
        </Link>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
