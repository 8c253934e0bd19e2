// Rows for tests, with everything a test does not care about filled in: a test names only what
// it is about (a PoP's code and, say, its agent URL), so what matters stands out.
import type { Prisma } from "@/lib/generated/prisma/client";

/** A PoP: Testville, NL (52° N, 5° E, Europe), 100 Gbit/s, named by its code. */
export function popData(code: string, fields: Omit<Partial<Prisma.PopUncheckedCreateInput>, "code"> = {}): Prisma.PopUncheckedCreateInput {
  return { code, name: code, city: "Testville", country: "NL", latitude: 52, longitude: 5, region: "europe", capacityGbps: 100, ...fields };
}

/** A prefix of the DNS service from AS64500 with a safety floor of one PoP; family and length from the CIDR. */
export function prefixData(cidr: string, fields: Omit<Partial<Prisma.PrefixUncheckedCreateInput>, "cidr" | "family" | "length"> = {}): Prisma.PrefixUncheckedCreateInput {
  return { cidr, family: cidr.includes(":") ? 6 : 4, length: Number(cidr.split("/")[1]), originAsn: 64500n, service: "dns", safetyFloor: 1, ...fields };
}
