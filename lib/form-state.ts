import type { FieldErrors } from "./server/errors";

/** The one shape every server action returns, for `useActionState`. */
export type FormState<T = unknown> =
  | { status: "idle" }
  | { status: "ok"; message: string; data?: T }
  | { status: "error"; message: string; fieldErrors?: FieldErrors };

export const IDLE: FormState<never> = { status: "idle" };
