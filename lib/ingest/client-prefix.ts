// The client a catchment reply stands for: its /24 (IPv4) or /48 (IPv6), the unit Verfploeter
// and MAnycastR hitlists probe (one address per block), written as a canonical CIDR.
import ipaddr from "ipaddr.js";

export const CLIENT_PREFIX_LENGTH = { 4: 24, 6: 48 } as const;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export type ClientPrefix = { cidr: string; family: 4 | 6 };

/** The client /24 or /48 holding `address`, or null when it is not an address. */
export function clientPrefixOf(address: string): ClientPrefix | null {
  // Most replies are IPv4 and need no parser: this runs once per row of a million-row file.
  const v4 = IPV4.exec(address);
  if (v4) {
    const octets = [v4[1], v4[2], v4[3], v4[4]].map(Number);
    if (octets.some((octet) => octet > 255)) return null;
    return { cidr: `${octets[0]}.${octets[1]}.${octets[2]}.0/24`, family: 4 };
  }
  if (!address.includes(":") || !ipaddr.IPv6.isValid(address)) return null;
  const bytes = ipaddr.IPv6.parse(address).toByteArray();
  for (let i = 6; i < 16; i++) bytes[i] = 0;
  return { cidr: `${ipaddr.fromByteArray(bytes).toString()}/48`, family: 6 };
}
