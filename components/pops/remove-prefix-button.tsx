"use client";

import { buttonClass } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/ui/use-form-action";
import type { FormState } from "@/lib/form-state";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

/** Takes a withdrawn prefix away from a PoP; the server's refusal, with its reason, shows beside it. */
export function RemovePrefixButton({ action, popCode, cidr }: { action: Action; popCode: string; cidr: string }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="mt-1 flex flex-wrap items-center gap-x-2">
      <input type="hidden" name="code" value={popCode} />
      <input type="hidden" name="cidr" value={cidr} />
      <button type="submit" disabled={pending} className={buttonClass("ghost", "min-h-0 px-0 py-0 text-xs underline")} aria-label={`Remove ${cidr} from ${popCode}`}>
        {pending ? "Removing…" : "Remove"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
