import { describe, expect, it } from "vitest";
import { ReplayGuard } from "./replay-guard";
import { signRequest, verifyRequest } from "./signing";

const secret = "s3cret-for-replay-guard-tests";
const now = 1_760_000_000_000;
const request = { method: "PUT", path: "/v1/maintenance", body: '{"enabled":true,"reason":"replay test"}' };

function verified(at: number) {
  const authorization = signRequest({ secret, ...request, now: at });
  const verdict = verifyRequest({ secret, ...request, authorization, now: at });
  if (!verdict.ok) throw new Error(verdict.message);
  return verdict;
}

describe("ReplayGuard", () => {
  it("refuses a request signed before the process started: what the last one accepted is forgotten", () => {
    const guard = new ReplayGuard(30_000, now);
    const before = verified(now - 5_000);
    expect(guard.accept(before.signature, before.timestamp, now + 1)).toBe(false);
    const after = verified(now + 1);
    expect(guard.accept(after.signature, after.timestamp, now + 2)).toBe(true);
  });

  it("accepts a signed request once and refuses the same request again within its window", () => {
    const guard = new ReplayGuard(30_000);
    const { signature, timestamp } = verified(now);
    expect(guard.accept(signature, timestamp, now)).toBe(true);
    expect(guard.accept(signature, timestamp, now + 1)).toBe(false);
    expect(guard.accept(signature, timestamp, now + 30_000)).toBe(false);
  });

  it("knows a signature whatever the case of its hex digits", () => {
    const guard = new ReplayGuard(30_000);
    const { signature, timestamp } = verified(now);
    expect(guard.accept(signature, timestamp, now)).toBe(true);
    expect(guard.accept(signature.toUpperCase(), timestamp, now)).toBe(false);
  });

  it("accepts the same request signed again (a retry: a new timestamp, a new signature)", () => {
    const guard = new ReplayGuard(30_000);
    const first = verified(now);
    const retry = verified(now + 200);
    expect(retry.signature).not.toBe(first.signature);
    expect(guard.accept(first.signature, first.timestamp, now)).toBe(true);
    expect(guard.accept(retry.signature, retry.timestamp, now + 200)).toBe(true);
  });

  it("forgets a signature once its timestamp has left the window, when the signature check refuses it anyway", () => {
    const guard = new ReplayGuard(30_000);
    const { signature, timestamp } = verified(now);
    guard.accept(signature, timestamp, now);
    for (let i = 1; i <= 100; i += 1) guard.accept(`${i}`.padStart(64, "0"), now + i, now + i);
    expect(guard.size).toBe(101);
    const later = now + 100 + 30_001;
    expect(verifyRequest({ secret, ...request, authorization: signRequest({ secret, ...request, now }), now: later, maxSkewMs: 30_000 }).ok).toBe(false);
    guard.accept("f".repeat(64), later, later);
    expect(guard.size).toBe(1);
  });
});
