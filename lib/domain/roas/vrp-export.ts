// VRPs out, in the formats they come in: Routinator CSV and JSON, so an export re-imports.
// ASPA objects only in JSON (Routinator's CSV has no place for them).
import type { AspaRecord } from "./vrp-parse";

export type ExportVrp = { prefix: string; maxLength: number; asn: number; source: string; expiresAt?: Date | null };

/** rpki-client's `expires` (seconds since 1970), when there is an expiry. */
const expires = (expiresAt: Date | null | undefined) => (expiresAt ? { expires: Math.floor(expiresAt.getTime() / 1000) } : {});

export function toRoutinatorCsv(vrps: readonly ExportVrp[]): string {
  return ["ASN,IP Prefix,Max Length,Trust Anchor", ...vrps.map((vrp) => `AS${vrp.asn},${vrp.prefix},${vrp.maxLength},${vrp.source}`)].join("\n") + "\n";
}

/**
 * Routinator's `aspas` member: {customer, providers, ta}, with Routinator's `afi` when the object
 * has a family and rpki-client's `expires` (seconds) when it has an expiry, so neither is lost.
 * `ta` is the source when the file named none: a re-import puts the object back in its source.
 */
function routinatorAspa(aspa: AspaRecord) {
  return {
    customer: `AS${aspa.customerAsn}`,
    ...(aspa.afi ? { afi: aspa.afi } : {}),
    providers: aspa.providerAsns.map((asn) => `AS${asn}`),
    ta: aspa.ta ?? aspa.source,
    ...expires(aspa.expiresAt),
  };
}

export function toRoutinatorJson(vrps: readonly ExportVrp[], aspas: readonly AspaRecord[], generated: Date): string {
  // A ROA's expiry goes out as rpki-client writes it (Routinator's own JSON has none), so it re-imports.
  const roas = vrps.map((vrp) => ({ asn: `AS${vrp.asn}`, prefix: vrp.prefix, maxLength: vrp.maxLength, ta: vrp.source, ...expires(vrp.expiresAt) }));
  return JSON.stringify({ metadata: { generated: Math.floor(generated.getTime() / 1000), generatedTime: generated.toISOString(), counts: roas.length }, roas, aspas: aspas.map(routinatorAspa) }, null, 1) + "\n";
}
