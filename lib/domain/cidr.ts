// CIDR parsing and arithmetic for IPv4 and IPv6, on ipaddr.js.
import ipaddr from "ipaddr.js";

export type Family = 4 | 6;

export type Cidr = {
  /** Normalised text: network address and length, e.g. "192.0.2.0/24", "2001:db8::/48". */
  text: string;
  family: Family;
  length: number;
  /** The network address as a bigint, for containment checks. */
  network: bigint;
};

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; error: string };

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/** Longest prefix most networks accept from the internet: longer ones are filtered. */
export const LONGEST_ACCEPTED: Record<Family, number> = { 4: 24, 6: 48 };

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function fromBigInt(value: bigint, family: Family): string {
  const bytes: number[] = [];
  for (let i = 0; i < BITS[family] / 8; i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

function mask(length: number, family: Family): bigint {
  const bits = BITS[family];
  return length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
}

/**
 * True for a plain IPv4 address (four decimal parts: ipaddr.js also takes `10.1` or octal,
 * which nobody means in a route) or IPv6 address (no zone id).
 */
export function isIpAddress(text: string): boolean {
  if (text.includes(":")) return !text.includes("%") && ipaddr.IPv6.isValid(text);
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** Parses "a.b.c.d/n" or "x::/n"; refuses host bits with a hint naming the network. */
export function parseCidr(input: string): CidrResult {
  const text = input.trim();
  const parts = text.split("/");
  if (parts.length !== 2) return { ok: false, error: `${text || "(empty)"} is not a prefix: write it as address/length, e.g. 192.0.2.0/24.` };
  const [addressText = "", lengthText = ""] = parts;
  if (!isIpAddress(addressText)) {
    return { ok: false, error: `${addressText || "(empty)"} is not an IPv4 or IPv6 address.` };
  }
  const address = ipaddr.parse(addressText);
  const family: Family = address.kind() === "ipv4" ? 4 : 6;
  if (!/^(0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > BITS[family]) {
    return { ok: false, error: `/${lengthText} is not a valid IPv${family} prefix length (0-${BITS[family]}).` };
  }
  const length = Number(lengthText);
  const value = toBigInt(address.toByteArray());
  const network = value & mask(length, family);
  const normalised = `${fromBigInt(network, family)}/${length}`;
  if (network !== value) {
    return { ok: false, error: `${text} has host bits set: did you mean ${normalised}?` };
  }
  return { ok: true, cidr: { text: normalised, family, length, network } };
}

/** The canonical text of a valid prefix (lower-case, compressed IPv6), or null. */
export function canonicalCidr(input: string): string | null {
  const result = parseCidr(input);
  return result.ok ? result.cidr.text : null;
}

/** Like parseCidr, for values already validated (stored ones): throws on bad input. */
export function cidr(input: string): Cidr {
  const result = parseCidr(input);
  if (!result.ok) throw new Error(result.error);
  return result.cidr;
}

/** True when `outer` covers `inner` (same family, shorter or equal length, same leading bits). */
export function covers(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.length <= inner.length && (inner.network & mask(outer.length, outer.family)) === outer.network;
}

export function maxLengthOf(family: Family): number {
  return BITS[family];
}
