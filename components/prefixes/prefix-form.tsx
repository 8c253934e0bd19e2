"use client";

import Link from "next/link";
import { useState } from "react";
import { Warnings } from "@/components/rpki/warnings";
import { buttonClass } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import { parseAsn } from "@/lib/domain/asn";
import { parseCidr } from "@/lib/domain/cidr";
import { prefixWarnings } from "@/lib/domain/roas/prefix-roa-input";
import type { FormState } from "@/lib/form-state";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

export type PrefixFormValues = { id?: number; cidr: string; originAsn: string; service: string; description: string; safetyFloor: string };

function liveWarnings(values: { cidr: string; originAsn: string }): string[] {
  const prefix = parseCidr(values.cidr);
  const asn = parseAsn(values.originAsn);
  return prefix.ok && asn.ok ? prefixWarnings(prefix.cidr, asn.asn) : [];
}

export function PrefixForm({ action, values }: { action: Action; values: PrefixFormValues }) {
  const { state, pending, errors, onSubmit } = useFormAction(action);
  const [live, setLive] = useState({ cidr: values.cidr, originAsn: values.originAsn });

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="space-y-4"
      aria-label={values.id ? `Edit ${values.cidr}` : "New prefix"}
      onChange={(event) => {
        const form = event.currentTarget;
        const read = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "";
        setLive({ cidr: read("cidr"), originAsn: read("originAsn") });
      }}
    >
      {values.id && <input type="hidden" name="id" value={values.id} />}
      <div className="grid gap-4 rounded-lg border border-line bg-panel p-4 md:grid-cols-2">
        <TextField label="Prefix" name="cidr" defaultValue={values.cidr} errors={errors.cidr} placeholder="192.0.2.0/24" hint="IPv4 up to /24, IPv6 up to /48 to be accepted widely." required />
        <TextField label="Origin ASN" name="originAsn" defaultValue={values.originAsn} errors={errors.originAsn} placeholder="AS64500" hint="The AS every PoP originates it from." required />
        <TextField label="Service" name="service" defaultValue={values.service} errors={errors.service} placeholder="dns" required />
        <TextField label="Safety floor" name="safetyFloor" inputMode="numeric" defaultValue={values.safetyFloor} errors={errors.safetyFloor} hint="PoPs that must keep announcing it undrained." required />
        <div className="md:col-span-2">
          <TextField label="Description" name="description" defaultValue={values.description} errors={errors.description} />
        </div>
      </div>
      <Warnings warnings={liveWarnings(live)} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? "Saving…" : values.id ? "Save prefix" : "Create prefix"}
        </button>
        <Link href={values.id ? `/prefixes/${values.id}` : "/prefixes"} className={buttonClass("ghost")}>
          Cancel
        </Link>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
