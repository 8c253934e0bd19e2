// VRPs out, in the formats they come in: Routinator CSV and JSON, so an export re-imports.
export type ExportVrp = { prefix: string; maxLength: number; asn: number; source: string };

export function toRoutinatorCsv(vrps: readonly ExportVrp[]): string {
  return ["ASN,IP Prefix,Max Length,Trust Anchor", ...vrps.map((vrp) => `AS${vrp.asn},${vrp.prefix},${vrp.maxLength},${vrp.source}`)].join("\n") + "\n";
}

export function toRoutinatorJson(vrps: readonly ExportVrp[], generated: Date): string {
  const roas = vrps.map((vrp) => ({ asn: `AS${vrp.asn}`, prefix: vrp.prefix, maxLength: vrp.maxLength, ta: vrp.source }));
  return JSON.stringify({ metadata: { generated: Math.floor(generated.getTime() / 1000), generatedTime: generated.toISOString(), counts: roas.length }, roas }, null, 1) + "\n";
}
