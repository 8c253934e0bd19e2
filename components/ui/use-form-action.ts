"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { IDLE, type FormState } from "@/lib/form-state";

/**
 * A form bound to a server action, the one way the console's forms submit. The form is sent
 * from `onSubmit` rather than through `<form action>`, because React resets a form after an
 * action submission and the user would lose what they typed when the server refuses it.
 */
export function useFormAction<T>(action: (state: FormState<T>, payload: FormData) => Promise<FormState<T>>) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const errors = state.status === "error" ? (state.fieldErrors ?? {}) : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  }

  return { state, pending, errors, onSubmit };
}
