// What an operator submits to drain, withdraw or restore a PoP (or one of its prefixes).
import { z } from "zod";
import { MAX_PREPEND } from "@/lib/agent-protocol/schemas";
import { DEFAULT_PREPEND } from "./plan";
import { parseRecordId } from "../record-id";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .optional()
    .transform((value) => (value ? value : null));

/** More prefixes than a fleet has; a bound so a request cannot make planning scan millions of ids. */
export const MAX_PREFIX_IDS = 1000;

export const operationInput = z.object({
  kind: z.enum(["drain", "withdraw", "restore"], { error: "Pick drain, withdraw or restore." }),
  /** One PoP code, or several separated by commas or spaces. */
  popCodes: z
    .union([z.string(), z.array(z.string())])
    .transform((value) => [...new Set((Array.isArray(value) ? value : value.split(/[\s,]+/)).map((code) => code.trim().toUpperCase()).filter(Boolean))])
    .refine((codes) => codes.length > 0, "Which PoP?")
    .refine((codes) => codes.length <= 1000, "At most 1000 PoPs at once."),
  /** Empty: every prefix of the PoP. */
  prefixId: z
    .union([z.string(), z.number()])
    .optional()
    .transform((value, context) => {
      if (value === undefined || value === "" || value === "all") return null;
      const id = parseRecordId(value);
      if (id === null) {
        context.addIssue({ code: "custom", message: "Unknown prefix." });
        return z.NEVER;
      }
      return id;
    }),
  /** Several prefixes of the PoPs (ids, or a comma-separated list of them); prefixId for one. */
  prefixIds: z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))])
    .optional()
    .transform((value, context) => {
      const parts = value === undefined ? [] : Array.isArray(value) ? value : value.split(/[\s,]+/).filter(Boolean);
      if (parts.length === 0) return null;
      if (parts.length > MAX_PREFIX_IDS) {
        context.addIssue({ code: "custom", message: `At most ${MAX_PREFIX_IDS} prefixes at once.` });
        return z.NEVER;
      }
      const ids = parts.map(parseRecordId);
      if (ids.some((id) => id === null)) {
        context.addIssue({ code: "custom", message: "Unknown prefix." });
        return z.NEVER;
      }
      return [...new Set(ids as number[])].sort((a, b) => a - b);
    }),
  prependCount: z.coerce
    .number({ error: "The prepend count is a number." })
    .int("The prepend count is a whole number.")
    .min(1, "Prepend at least once.")
    .max(MAX_PREPEND, `At most ${MAX_PREPEND} prepends.`)
    .default(DEFAULT_PREPEND),
  reason: z.string().trim().min(3, "Say why, for the audit log and the next on-call.").max(500, "At most 500 characters."),
  ticket: optionalText(100),
  /** A withdraw asks the operator to type the PoP code (the codes, comma-separated, for several). */
  confirmCode: optionalText(10_000),
  /** An admin may override failed safety checks with a written reason. */
  overrideReason: optionalText(500),
});

export type OperationInput = z.output<typeof operationInput>;

/** The prefixes an operation may change at its PoPs; null: every one they announce. */
export function targetPrefixIds(input: Pick<OperationInput, "prefixId" | "prefixIds">): number[] | null {
  if (input.prefixIds) return input.prefixIds;
  return input.prefixId === null ? null : [input.prefixId];
}

/** What the operator types to confirm a withdraw. */
export function withdrawConfirmation(popCodes: readonly string[]): string {
  return popCodes.join(", ");
}

/** What a preview needs: the operation without its reason, ticket and confirmations. */
export const previewInput = operationInput.pick({ kind: true, popCodes: true, prefixId: true, prefixIds: true, prependCount: true });
