"use client";

import { useActionState } from "react";
import { buttonClass } from "./button";
import { FormMessage } from "./field";
import { IDLE, type FormState } from "@/lib/form-state";

type Action = (state: FormState<undefined>, payload: FormData) => Promise<FormState<undefined>>;

/**
 * A delete (or revoke) button that asks first and shows the server's refusal (e.g. "still in
 * use") beside it.
 */
export function DeleteForm({ action, id, label, confirm, pendingLabel = "Deleting…" }: { action: Action; id: number | string; label: string; confirm: string; pendingLabel?: string }) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(confirm)) event.preventDefault();
      }}
      className="flex flex-wrap items-center gap-3"
    >
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className={buttonClass("danger")}>
        {pending ? pendingLabel : label}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
