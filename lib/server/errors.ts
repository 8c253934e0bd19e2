import type { z } from "zod";

// Typed application errors. Their messages are written for the operator and may reach the
// browser; any other error is logged on the server and replaced by a generic message.
export type AppErrorCode =
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid_input"
  | "too_large"
  | "rate_limited"
  | "refused"
  | "unavailable"
  | "internal";

const HTTP_STATUS: Record<AppErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_input: 400,
  too_large: 413,
  rate_limited: 429,
  refused: 422,
  unavailable: 503,
  internal: 500,
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
    /** More for an API client (e.g. the records an ingest refused); JSON, safe to show. */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

type PrismaKnownError = { code: string; meta?: { target?: unknown; modelName?: string; driverAdapterError?: unknown } };

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return typeof error === "object" && error !== null && "code" in error && /^P\d{4}$/.test(String(error.code));
}

/**
 * What a P2002 names as violated: the fields, or (through the pg driver adapter) the unique
 * index, e.g. "pop_code_key", reported as "code" unless the caller maps it.
 */
function uniqueTargets(error: PrismaKnownError): string[] {
  const target = error.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === "string") return [target];
  const cause = (error.meta?.driverAdapterError as { cause?: { table?: string; constraint?: { fields?: string[]; index?: string } } })?.cause;
  if (cause?.constraint?.fields) return cause.constraint.fields.map((field) => field.replace(/"/g, ""));
  const index = cause?.constraint?.index;
  return index ? [index] : [];
}

function fieldOf(target: string, fieldNames: Record<string, string>): string {
  return fieldNames[target] ?? target.replace(/^[a-z]+_/, "").replace(/_key$/, "");
}

/**
 * Maps Prisma's errors, by code, to AppErrors. `fieldNames` turns a unique index or column
 * into the form field it came from, so a duplicate shows next to its field.
 */
export function fromPrismaError(error: unknown, fieldNames: Record<string, string> = {}): AppError | undefined {
  if (!isPrismaKnownError(error)) return undefined;
  switch (error.code) {
    case "P2002": {
      const fields = [...new Set(uniqueTargets(error).map((target) => fieldOf(target, fieldNames)))];
      const fieldErrors = Object.fromEntries(fields.map((field) => [field, ["is already taken"]]));
      return new AppError("conflict", `Already exists: ${fields.join(", ") || "a unique value"} is taken.`, fieldErrors);
    }
    case "P2025":
      return new AppError("not_found", "Not found: it may have been deleted by someone else.");
    case "P2003":
      return new AppError("conflict", "Still in use by other records.");
    default:
      return undefined;
  }
}

/** A zod error as field -> messages, for the form that sent the input. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  return fieldErrors;
}
