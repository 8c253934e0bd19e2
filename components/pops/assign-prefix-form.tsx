"use client";

import { buttonClass } from "@/components/ui/button";
import { FormMessage, SelectField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { FormState } from "@/lib/form-state";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

/** An admin gives the PoP one of the fleet's prefixes; it starts withdrawn. */
export function AssignPrefixForm({ action, popCode, prefixes }: { action: Action; popCode: string; prefixes: { cidr: string; service: string }[] }) {
  const { state, pending, errors, onSubmit } = useFormAction(action);
  if (prefixes.length === 0) {
    return <p className="text-sm text-muted">Every prefix of the fleet is assigned here. New prefixes are made under Prefixes.</p>;
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Assign a prefix" className="space-y-2">
      <input type="hidden" name="code" value={popCode} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-48">
          <SelectField
            label="Assign a prefix"
            name="cidr"
            errors={errors.cidr}
            options={prefixes.map((prefix) => ({ value: prefix.cidr, label: `${prefix.cidr} (${prefix.service})` }))}
          />
        </div>
        <button type="submit" disabled={pending} className={buttonClass("secondary")}>
          {pending ? "Assigning…" : "Assign"}
        </button>
      </div>
      <p className="text-xs text-muted">
        It starts withdrawn: an operator then announces it with Restore…, through the safety and RPKI checks. The agent must have it in its config file too.
      </p>
      <FormMessage state={state} />
    </form>
  );
}
