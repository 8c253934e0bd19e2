import { config } from "@/lib/config";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import ipaddr from "ipaddr.js";

// The client's address, for the audit log and the sign-in throttle, must be one a client cannot
// choose: the throttle is keyed on it. Route handlers see only headers, and `next start` fills
// X-Forwarded-For from the socket only when the request has none (base-server.js:
// `req.headers['x-forwarded-for'] ??= socket.remoteAddress`), keeping whatever a client wrote.
// So the console's server process sets the header itself, before Next reads the request:
// - by default, to the socket's address, replacing anything the client sent;
// - behind a reverse proxy the operator vouches for (CATCHMENT_TRUST_PROXY=1), it is left as the
//   proxy wrote it, and only the address that proxy appended, the last one, is believed.

function trustProxy(): boolean {
  return config().CATCHMENT_TRUST_PROXY === "1";
}

let stamping = false;

/** Makes X-Forwarded-For the socket's address on every request this process serves. Call once at start. */
export function stampClientAddresses(): void {
  if (stamping) return;
  stamping = true;
  // Published by Node's HTTP server for each request, before the request reaches any handler.
  subscribe("http.server.request.start", (message) => {
    if (trustProxy()) return;
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers["x-forwarded-for"] = socket.remoteAddress ?? "";
  });
}

/** The client's address from X-Forwarded-For as the console's server left it, or null. */
export function clientIpFrom(forwardedFor: string | null | undefined): string | null {
  const last = forwardedFor?.split(",").at(-1)?.trim();
  if (!last || !ipaddr.isValid(last)) return null;
  // IPv4 clients of a dual-stack socket show as ::ffff:192.0.2.1.
  return ipaddr.process(last).toString();
}
