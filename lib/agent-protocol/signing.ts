import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed, time-limited requests between the console and an agent (see agent/README.md for
 * why not a bearer token). `Authorization: Catchment-HMAC-SHA256 ts=<unix ms>, sig=<hex>`,
 * sig = HMAC-SHA256(secret, `${METHOD}\n${path+query}\n${ts}\n${sha256hex(body)}`).
 */

export const AUTH_SCHEME = "Catchment-HMAC-SHA256";
export const DEFAULT_MAX_SKEW_MS = 30_000;

export type RequestBody = string | Uint8Array | undefined;

export type SignRequestInput = {
  secret: string;
  method: string;
  /** Path and query exactly as sent on the request line, e.g. `/v1/status`. */
  path: string;
  body?: RequestBody;
  /** Unix time in ms; defaults to now. */
  now?: number;
};

export type VerifyRequestInput = {
  secret: string;
  method: string;
  path: string;
  body?: RequestBody;
  /** The Authorization header as received. */
  authorization: string | null | undefined;
  now?: number;
  maxSkewMs?: number;
};

export type VerifyFailureCode = "missing_authorization" | "malformed_authorization" | "expired" | "bad_signature";

/** `signature`: the request's HMAC in lower-case hex, what a replay guard remembers it by. */
export type VerifyResult = { ok: true; timestamp: number; signature: string } | { ok: false; code: VerifyFailureCode; message: string };

const HEADER = new RegExp(`^${AUTH_SCHEME} ts=(\\d{1,16}),\\s*sig=([0-9a-fA-F]{64})$`);

function sha256Hex(body: RequestBody): string {
  return createHash("sha256")
    .update(body ?? "")
    .digest("hex");
}

function signature(secret: string, method: string, path: string, timestamp: number, body: RequestBody): Buffer {
  const canonical = `${method.toUpperCase()}\n${path}\n${timestamp}\n${sha256Hex(body)}`;
  return createHmac("sha256", secret).update(canonical).digest();
}

let lastTimestamp = 0;

/**
 * Returns the value of the Authorization header for this request. Without `now`, no two
 * requests signed by this process share a timestamp: the receiver accepts a signature once
 * (replay-guard.ts), and a retry sent within the same millisecond must not look like a replay.
 */
export function signRequest({ secret, method, path, body, now }: SignRequestInput): string {
  if (!secret) throw new TypeError("signRequest: the secret is empty");
  const timestamp = now === undefined ? (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1)) : Math.trunc(now);
  return `${AUTH_SCHEME} ts=${timestamp}, sig=${signature(secret, method, path, timestamp, body).toString("hex")}`;
}

export function verifyRequest({
  secret,
  method,
  path,
  body,
  authorization,
  now = Date.now(),
  maxSkewMs = DEFAULT_MAX_SKEW_MS,
}: VerifyRequestInput): VerifyResult {
  if (!authorization) {
    return { ok: false, code: "missing_authorization", message: `missing Authorization header (${AUTH_SCHEME})` };
  }
  const match = HEADER.exec(authorization.trim());
  if (!match) {
    return {
      ok: false,
      code: "malformed_authorization",
      message: `Authorization header must read "${AUTH_SCHEME} ts=<unix ms>, sig=<64 hex digits>"`,
    };
  }
  const timestamp = Number(match[1]);
  const skew = Math.abs(now - timestamp);
  if (skew > maxSkewMs) {
    return {
      ok: false,
      code: "expired",
      message: `request timestamp is ${Math.round(skew)} ms away from the agent's clock (at most ${maxSkewMs} ms): a stale request, or clocks out of sync`,
    };
  }
  const expected = secret ? signature(secret, method, path, timestamp, body) : Buffer.alloc(0);
  const given = Buffer.from(match[2] ?? "", "hex");
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, code: "bad_signature", message: "signature does not match: wrong secret, or the request was altered" };
  }
  return { ok: true, timestamp, signature: expected.toString("hex") };
}
