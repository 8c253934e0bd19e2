// An index of VRPs for validating many routes against a large set (a full validator export
// is about 500,000 VRPs). VRPs are bucketed by exact prefix; a route's covering VRPs are found
// by masking the route to each prefix length present in its family, so a lookup costs at most
// one hash probe per distinct length (about 25 for IPv4) instead of a scan of every VRP.
// The verdict itself comes from validateOrigin, the RFC 6811 reference, on those few VRPs.
import ipaddr from "ipaddr.js";
import type { Cidr, Family } from "../cidr";
import { validateOrigin, type ValidationResult, type Vrp } from "../rpki";

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function maskFor(family: Family, length: number): bigint {
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(BITS[family] - length);
}

const key = (length: number, network: bigint) => `${length}/${network}`;

export type IndexedValidation<T extends Vrp> = Omit<ValidationResult, "covering" | "matching"> & { covering: T[]; matching: T[] };

export class VrpIndex<T extends Vrp = Vrp> {
  private readonly buckets = new Map<string, T[]>();
  private readonly lengths: Record<Family, number[]> = { 4: [], 6: [] };
  private readonly masks: Record<Family, Map<number, bigint>> = { 4: new Map(), 6: new Map() };
  readonly size: number;

  constructor(vrps: Iterable<T>) {
    const lengths: Record<Family, Set<number>> = { 4: new Set(), 6: new Set() };
    let size = 0;
    for (const vrp of vrps) {
      const bucketKey = `${vrp.prefix.family}:${key(vrp.prefix.length, vrp.prefix.network)}`;
      const bucket = this.buckets.get(bucketKey);
      if (bucket) bucket.push(vrp);
      else this.buckets.set(bucketKey, [vrp]);
      lengths[vrp.prefix.family].add(vrp.prefix.length);
      size++;
    }
    this.size = size;
    for (const family of [4, 6] as const) {
      this.lengths[family] = [...lengths[family]].sort((a, b) => a - b);
      for (const length of this.lengths[family]) this.masks[family].set(length, maskFor(family, length));
    }
  }

  /** The VRPs whose prefix covers the route (equal or less specific), least specific first. */
  covering(route: Cidr): T[] {
    const found: T[] = [];
    for (const length of this.lengths[route.family]) {
      if (length > route.length) break;
      const bucket = this.buckets.get(`${route.family}:${key(length, route.network & this.masks[route.family].get(length)!)}`);
      if (bucket) found.push(...bucket);
    }
    return found;
  }

  /** RFC 6811 validity of (route, origin), exactly as validateOrigin over the whole set. */
  validate(route: Cidr, originAsn: number): IndexedValidation<T> {
    return validateOrigin(route, originAsn, this.covering(route)) as IndexedValidation<T>;
  }
}

/**
 * The text of every prefix that covers `route` (itself included), shortest first: the keys
 * under which a covering ROA can be stored, so a database lookup needs no scan.
 */
export function coveringPrefixTexts(route: Cidr): string[] {
  const bits = BITS[route.family];
  const texts: string[] = [];
  for (let length = 0; length <= route.length; length++) {
    const network = route.network & maskFor(route.family, length);
    texts.push(`${addressText(network, route.family, bits)}/${length}`);
  }
  return texts;
}

function addressText(value: bigint, _family: Family, bits: number): string {
  const bytes: number[] = [];
  for (let i = 0; i < bits / 8; i++) bytes.unshift(Number((value >> BigInt(8 * i)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}
