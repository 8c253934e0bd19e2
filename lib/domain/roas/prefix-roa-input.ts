// What an admin may enter for a prefix or a ROA, and the warnings that do not block a save.
import { z } from "zod";
import { isPrivateOrReservedAsn, parseAsn } from "../asn";
import { LONGEST_ACCEPTED, maxLengthOf, parseCidr, type Cidr } from "../cidr";
import { parseVrpAsn } from "./vrp-parse";

const cidrField = z.string({ error: "Prefix is required." }).transform((value, context) => {
  if (value.trim() === "") {
    context.addIssue({ code: "custom", message: "Prefix is required, e.g. 192.0.2.0/24." });
    return z.NEVER;
  }
  const parsed = parseCidr(value);
  if (!parsed.ok) {
    context.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed.cidr;
});

const originAsnField = z.union([z.string(), z.number()], { error: "Origin ASN is required." }).transform((value, context) => {
  const parsed = parseAsn(value);
  if (!parsed.ok) {
    context.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed.asn;
});

const roaAsnField = z.union([z.string(), z.number()], { error: "ASN is required." }).transform((value, context) => {
  const parsed = parseVrpAsn(value);
  if (!parsed.ok) {
    context.addIssue({ code: "custom", message: "An ASN is a number such as 64500 or AS64500 (AS0 forbids any origin)." });
    return z.NEVER;
  }
  return parsed.asn;
});

export const prefixInput = z.object({
  cidr: cidrField,
  originAsn: originAsnField,
  service: z.string({ error: "Service is required." }).trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "Service is a short name such as dns or cdn."),
  description: z.string().trim().max(200, "At most 200 characters.").optional().default(""),
  safetyFloor: z
    .union([z.string(), z.number()])
    .transform((value) => Number(String(value).trim() || NaN))
    .refine((value) => Number.isInteger(value) && value >= 1 && value <= 1000, "The safety floor is a whole number of PoPs, 1 to 1000."),
});

export type PrefixInput = z.output<typeof prefixInput>;

/** Things worth a second look that do not stop a save. */
export function prefixWarnings(prefix: Cidr, originAsn: number): string[] {
  const warnings: string[] = [];
  if (prefix.length > LONGEST_ACCEPTED[prefix.family]) {
    warnings.push(`${prefix.text} is more specific than /${LONGEST_ACCEPTED[prefix.family]}: most networks filter such announcements, so it will not be reachable from much of the internet.`);
  }
  if (isPrivateOrReservedAsn(originAsn)) {
    warnings.push(`AS${originAsn} is a private or reserved ASN: announced toward the internet it is filtered; strip it at your upstreams or use a public ASN.`);
  }
  return warnings;
}

export const roaInput = z
  .object({
    prefix: cidrField,
    asn: roaAsnField,
    /** Blank: the prefix's own length. */
    maxLength: z.union([z.string(), z.number()]).optional(),
    /** A date (YYYY-MM-DD) or blank for none. */
    expiresAt: z
      .string()
      .optional()
      .transform((value, context) => {
        const text = value?.trim() ?? "";
        if (text === "") return null;
        const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
        if (Number.isNaN(date.getTime())) {
          context.addIssue({ code: "custom", message: "Enter a date such as 2027-01-31, or leave it blank." });
          return z.NEVER;
        }
        return date;
      }),
  })
  .transform((input, context) => {
    const longest = maxLengthOf(input.prefix.family);
    const text = input.maxLength === undefined ? "" : String(input.maxLength).trim();
    const maxLength = text === "" ? input.prefix.length : Number(text);
    if (!Number.isInteger(maxLength) || maxLength < input.prefix.length || maxLength > longest) {
      context.addIssue({ code: "custom", path: ["maxLength"], message: `Max length must be between the prefix length ${input.prefix.length} and ${longest}.` });
      return z.NEVER;
    }
    return { ...input, maxLength };
  });

export type RoaInput = z.output<typeof roaInput>;

export function roaWarnings(input: { prefix: Cidr; asn: number; maxLength: number }): string[] {
  const warnings: string[] = [];
  if (input.maxLength > input.prefix.length) {
    warnings.push(
      `maxLength /${input.maxLength} authorises every more-specific of ${input.prefix.text} down to /${input.maxLength}: unless you announce them all, it invites a forged-origin sub-prefix hijack. Prefer one ROA per announced prefix.`,
    );
  }
  if (input.maxLength > LONGEST_ACCEPTED[input.prefix.family]) {
    warnings.push(`Routes longer than /${LONGEST_ACCEPTED[input.prefix.family]} are filtered by most networks.`);
  }
  if (input.asn !== 0 && isPrivateOrReservedAsn(input.asn)) {
    warnings.push(`AS${input.asn} is a private or reserved ASN: routes from it are filtered on the internet.`);
  }
  return warnings;
}
