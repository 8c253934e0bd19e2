// Autonomous System numbers: 1-4294967295, written "AS64500", "64500" or 64500.
import { z } from "zod";

export const MAX_ASN = 4294967295;

export function parseAsn(input: unknown): { ok: true; asn: number } | { ok: false; error: string } {
  const text = typeof input === "number" ? String(input) : typeof input === "string" ? input.trim().replace(/^as/i, "") : "";
  if (!/^\d+$/.test(text)) return { ok: false, error: "An ASN is a number such as 64500 or AS64500." };
  const asn = Number(text);
  if (asn < 1 || asn > MAX_ASN) return { ok: false, error: `An ASN is between 1 and ${MAX_ASN}.` };
  return { ok: true, asn };
}

/** Private-use and reserved ASNs (RFC 6996, 7300, 5398, 7607): never to be seen on the internet. */
export function isPrivateOrReservedAsn(asn: number): boolean {
  return (
    asn === 0 ||
    asn === 23456 ||
    (asn >= 64496 && asn <= 64511) ||
    (asn >= 64512 && asn <= 65534) ||
    asn === 65535 ||
    (asn >= 65536 && asn <= 65551) ||
    (asn >= 4200000000 && asn <= 4294967294) ||
    asn === MAX_ASN
  );
}

/** An ASN in a form or API body, as parseAsn reads it, with its message when it is not one. */
export const asnInput = z.union([z.string(), z.number()]).transform((value, context) => {
  const parsed = parseAsn(value);
  if (!parsed.ok) {
    context.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  }
  return parsed.asn;
});
