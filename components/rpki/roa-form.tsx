"use client";

import Link from "next/link";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { parseCidr } from "@/lib/domain/cidr";
import { roaWarnings } from "@/lib/domain/roas/prefix-roa-input";
import { parseVrpAsn } from "@/lib/domain/roas/vrp-parse";
import type { FormState } from "@/lib/form-state";
import { Warnings } from "./warnings";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

export type RoaFormValues = { id?: number; prefix: string; asn: string; maxLength: string; expiresAt: string };

/** Warnings as the admin types: they never block a save. */
function liveWarnings(values: { prefix: string; asn: string; maxLength: string }): string[] {
  const prefix = parseCidr(values.prefix);
  const asn = parseVrpAsn(values.asn);
  if (!prefix.ok || !asn.ok) return [];
  const maxLength = values.maxLength.trim() === "" ? prefix.cidr.length : Number(values.maxLength);
  return Number.isInteger(maxLength) ? roaWarnings({ prefix: prefix.cidr, asn: asn.asn, maxLength }) : [];
}

export function RoaForm({ action, values }: { action: Action; values: RoaFormValues }) {
  const { state, pending, errors, onSubmit } = useFormAction(action);
  const [live, setLive] = useState(values);

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={values.id ? "Edit ROA" : "New ROA"} onChange={(event) => {
      const form = event.currentTarget;
      const read = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "";
      setLive({ ...live, prefix: read("prefix"), asn: read("asn"), maxLength: read("maxLength") });
    }}>
      {values.id && <input type="hidden" name="id" value={values.id} />}
      <div className="grid gap-4 rounded-lg border border-line bg-panel p-4 md:grid-cols-2">
        <TextField label="Prefix" name="prefix" defaultValue={values.prefix} errors={errors.prefix} placeholder="192.0.2.0/24" hint="IPv4 or IPv6, network address only." required />
        <TextField label="ASN" name="asn" defaultValue={values.asn} errors={errors.asn} placeholder="AS64500" hint="AS64500, 64500; AS0 forbids any origin." required />
        <TextField label="Max length" name="maxLength" inputMode="numeric" defaultValue={values.maxLength} errors={errors.maxLength} hint="Blank: the prefix's own length (the safest)." />
        <TextField label="Expires" name="expiresAt" type="date" defaultValue={values.expiresAt} errors={errors.expiresAt} hint="Optional. An expired ROA no longer validates." />
      </div>
      <Warnings warnings={liveWarnings(live)} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Saving…" : values.id ? "Save ROA" : "Create ROA"}
        </button>
        <Link href="/rpki" className={buttonClass("ghost")}>
          Cancel
        </Link>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
