// Route origin validation (RFC 6811) of a route against a set of ROAs / VRPs.
import { covers, type Cidr } from "./cidr";

export type Vrp = { prefix: Cidr; maxLength: number; asn: number };

export type Validity = "valid" | "invalid_asn" | "invalid_length" | "not_found";

export type ValidationResult = {
  validity: Validity;
  /** The VRPs whose prefix covers the route (RFC 6811 "candidate" ROAs). */
  covering: Vrp[];
  /** Those that match it (valid) — empty unless validity is "valid". */
  matching: Vrp[];
};

export const VALIDITY_LABELS: Record<Validity, string> = {
  valid: "Valid",
  invalid_asn: "Invalid (ASN)",
  invalid_length: "Invalid (length)",
  not_found: "NotFound",
};

/**
 * RFC 6811 section 2: a route is Valid when some covering VRP has its origin AS (AS0 never
 * matches) and a maxLength at least the route's length; Invalid when VRPs cover it but none
 * matches; NotFound when none covers it. Invalid is split by the reason operators need:
 * "length" when a covering VRP names the origin AS but too short a maxLength, else "ASN".
 */
export function validateOrigin(route: Cidr, originAsn: number, vrps: readonly Vrp[]): ValidationResult {
  const covering = vrps.filter((vrp) => covers(vrp.prefix, route));
  if (covering.length === 0) return { validity: "not_found", covering, matching: [] };
  const sameAsn = covering.filter((vrp) => vrp.asn === originAsn && vrp.asn !== 0);
  const matching = sameAsn.filter((vrp) => route.length <= vrp.maxLength);
  if (matching.length > 0) return { validity: "valid", covering, matching };
  return { validity: sameAsn.length > 0 ? "invalid_length" : "invalid_asn", covering, matching: [] };
}

export function isRpkiProblem(validity: Validity): boolean {
  return validity !== "valid";
}
