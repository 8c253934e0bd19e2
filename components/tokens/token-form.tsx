"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FieldErrors, FormMessage, SelectField, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { FormState } from "@/lib/form-state";

type Created = { id: string; token: string };
type Action = (state: FormState<Created>, payload: FormData) => Promise<FormState<Created>>;

const SCOPES = [
  { value: "ingest", label: "ingest", hint: "post measurements (a RIPE Atlas feed, a probe)" },
  { value: "read", label: "read", hint: "read the API: catchment, lookup, operations, audit" },
  { value: "operate", label: "operate", hint: "drain, withdraw and restore through the API (an operator's or admin's token)" },
];

/** Issues a token and shows it once, with a copy button: only its hash is kept. */
export function TokenForm({ action, users }: { action: Action; users: { username: string; name: string; role: string }[] }) {
  const { state, pending, errors, onSubmit } = useFormAction(action);
  const [copied, setCopied] = useState<string | null>(null);
  const created = state.status === "ok" ? state.data : undefined;

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="New token">
      <div className="grid gap-4 md:grid-cols-3">
        <SelectField
          label="Acts as"
          name="username"
          defaultValue=""
          errors={errors.username}
          hint="It has this user's role, limited to its scopes."
          options={[{ value: "", label: "Choose a user…" }, ...users.map((user) => ({ value: user.username, label: `${user.username} (${user.role})` }))]}
        />
        <TextField label="Name" name="name" errors={errors.name} placeholder="atlas-feed" hint="What will use it, to recognise it later." />
        <TextField label="Expires after (days)" name="expiresDays" inputMode="numeric" defaultValue="90" errors={errors.expiresDays} hint="Empty: it never expires." />
      </div>
      <fieldset aria-describedby="scopes-error">
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-1 flex flex-wrap gap-x-6 gap-y-1">
          {SCOPES.map((scope) => (
            <label key={scope.value} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="scopes" value={scope.value} defaultChecked={scope.value === "ingest"} />
              <span>
                {scope.label} <span className="text-muted">· {scope.hint}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldErrors id="scopes-error" errors={errors.scopes} />
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Creating…" : "Create token"}
        </button>
        <FormMessage state={state} />
      </div>
      {created && (
        <div className="rounded-md border border-warn/40 bg-warn/10 p-3 text-sm">
          <label htmlFor="new-token" className="block font-medium">
            The new token (shown only now)
          </label>
          <div className="mt-1 flex gap-2">
            <input id="new-token" readOnly value={created.token} onFocus={(event) => event.currentTarget.select()} className="block w-full rounded-md border border-line bg-canvas px-3 py-2 font-mono text-xs" />
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={() => void navigator.clipboard?.writeText(created.token).then(() => setCopied(created.id))}
            >
              {copied === created.id ? "Copied" : "Copy"}
            </button>
          </div>
          <p className="mt-1 text-xs text-muted">Send it as <code>Authorization: Bearer …</code>. Only a hash of it is stored: if it is lost, revoke it and create another.</p>
        </div>
      )}
    </form>
  );
}
