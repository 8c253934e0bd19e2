// The client's address, for the audit log and the sign-in throttle. Next.js does not expose
// the socket's address, and X-Forwarded-For can be written by anyone, so it is believed only
// behind a proxy the operator vouches for (CATCHMENT_TRUST_PROXY=1), and then only the
// address that proxy appended: the last one.
export function clientIpFrom(forwardedFor: string | null | undefined, trustProxy = process.env.CATCHMENT_TRUST_PROXY === "1"): string | null {
  if (!trustProxy || !forwardedFor) return null;
  const hops = forwardedFor.split(",").map((hop) => hop.trim()).filter(Boolean);
  return hops.at(-1) ?? null;
}
