import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import type { Actor } from "./audit";
import { getCurrentUser, type CurrentUser } from "./auth/session";
import { AppError, fromPrismaError, zodFieldErrors } from "./errors";
import { clientIpFrom } from "./client-ip";
import { formDataToObject } from "./form-data";
import type { FormState } from "../form-state";
import { log } from "./log";

export type ActionContext = { user: CurrentUser; actor: Actor; ip: string | null };

/** What a handler returns: a message for the operator, optional data, or a page to go to. */
export type ActionOutcome<T> = { message: string; data?: T; redirectTo?: string };

type ActionConfig<S extends z.ZodType> = {
  /** The weakest role allowed to run it. */
  role: Role;
  input: S;
  /** Database column -> form field, so a unique violation shows next to its field. */
  uniqueFields?: Record<string, string>;
};

export async function requestIp(): Promise<string | null> {
  return clientIpFrom((await headers()).get("x-forwarded-for"));
}

/**
 * Every server action goes through here: authenticate, check the role, parse the input,
 * run, and turn any failure into a FormState without leaking internals to the browser.
 */
export function defineAction<S extends z.ZodType, T = undefined>(
  config: ActionConfig<S>,
  handler: (input: z.output<S>, context: ActionContext) => Promise<ActionOutcome<T>>,
) {
  return async function action(_previous: FormState<T>, payload: FormData | Record<string, unknown>): Promise<FormState<T>> {
    let outcome: ActionOutcome<T>;
    try {
      const user = await getCurrentUser();
      if (!user) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
      if (!roleAtLeast(user.role, config.role)) {
        throw new AppError("forbidden", `This needs the ${config.role} role; you are signed in as ${user.role}.`);
      }
      const raw = payload instanceof FormData ? formDataToObject(payload) : payload;
      const parsed = config.input.safeParse(raw);
      if (!parsed.success) {
        return { status: "error", message: "Check the highlighted fields.", fieldErrors: zodFieldErrors(parsed.error) };
      }
      const actor = { id: user.id, name: user.username };
      outcome = await handler(parsed.data, { user, actor, ip: await requestIp() });
    } catch (error) {
      const known = error instanceof AppError ? error : fromPrismaError(error, config.uniqueFields);
      if (known) return { status: "error", message: known.message, fieldErrors: known.fieldErrors };
      log.error({ err: error }, "server action failed");
      return { status: "error", message: "Something went wrong on the server. It has been logged; try again." };
    }
    // redirect() works by throwing, so it must run outside the try.
    if (outcome.redirectTo) redirect(outcome.redirectTo);
    return { status: "ok", message: outcome.message, data: outcome.data };
  };
}
