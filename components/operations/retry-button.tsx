"use client";

import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

export function RetryButton({ action, operationId, failed }: { action: Action; operationId: string; failed: number }) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="operationId" value={operationId} />
      <button type="submit" disabled={pending} className={buttonClass("primary")}>
        {pending ? "Retrying…" : `Retry ${failed} failed agent call${failed === 1 ? "" : "s"}`}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
