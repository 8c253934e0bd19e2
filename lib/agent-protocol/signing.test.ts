import { describe, expect, it } from "vitest";
import { AUTH_SCHEME, signRequest, verifyRequest } from "./signing";

const secret = "s3cret-for-signing-tests";
const now = 1_760_000_000_000;
const request = { method: "PUT", path: "/v1/announcements", body: '{"prefix":"192.0.2.0/24"}' };

function verify(authorization: string | undefined, overrides: Partial<Parameters<typeof verifyRequest>[0]> = {}) {
  return verifyRequest({ secret, ...request, authorization, now, ...overrides });
}

describe("signRequest / verifyRequest", () => {
  const header = signRequest({ secret, ...request, now });

  it("produces the documented header and verifies it", () => {
    expect(header).toMatch(new RegExp(`^${AUTH_SCHEME} ts=${now}, sig=[0-9a-f]{64}$`));
    expect(verify(header)).toEqual({ ok: true, timestamp: now, signature: header.slice(header.indexOf("sig=") + 4) });
  });

  it("signs the documented string: METHOD, path+query, ts and sha256(body), one per line", async () => {
    const { createHash, createHmac } = await import("node:crypto");
    const bodyHash = createHash("sha256").update(request.body).digest("hex");
    const expected = createHmac("sha256", secret).update(`PUT\n/v1/announcements\n${now}\n${bodyHash}`).digest("hex");
    expect(header.endsWith(`sig=${expected}`)).toBe(true);
  });

  it("treats a byte body like the same string", () => {
    expect(verify(header, { body: new TextEncoder().encode(request.body) }).ok).toBe(true);
  });

  it("rejects the wrong secret", () => {
    expect(verify(header, { secret: "another-secret-entirely" })).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it.each([
    ["body", { body: '{"prefix":"192.0.2.0/25"}' }],
    ["path", { path: "/v1/announcements?x=1" }],
    ["method", { method: "GET" }],
  ])("rejects a tampered %s", (_name, change) => {
    expect(verify(header, change)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it("rejects a timestamp outside the window, in the past or the future, and accepts one at its edge", () => {
    expect(verify(signRequest({ secret, ...request, now: now - 30_001 }))).toMatchObject({ ok: false, code: "expired" });
    expect(verify(signRequest({ secret, ...request, now: now + 30_001 }))).toMatchObject({ ok: false, code: "expired" });
    expect(verify(signRequest({ secret, ...request, now: now - 30_000 })).ok).toBe(true);
    expect(verify(signRequest({ secret, ...request, now: now - 5000 }), { maxSkewMs: 1000 })).toMatchObject({ ok: false, code: "expired" });
  });

  it("rejects a replayed signature with a forged timestamp", () => {
    const forged = header.replace(`ts=${now}`, `ts=${now + 1}`);
    expect(verify(forged)).toMatchObject({ ok: false, code: "bad_signature" });
  });

  it.each([
    ["missing", undefined, "missing_authorization"],
    ["empty", "", "missing_authorization"],
    ["a bearer token", "Bearer abc", "malformed_authorization"],
    ["no signature", `${AUTH_SCHEME} ts=${now}`, "malformed_authorization"],
    ["a short signature", `${AUTH_SCHEME} ts=${now}, sig=abcd`, "malformed_authorization"],
    ["a non-hex signature", `${AUTH_SCHEME} ts=${now}, sig=${"z".repeat(64)}`, "malformed_authorization"],
    ["a non-numeric ts", `${AUTH_SCHEME} ts=soon, sig=${"a".repeat(64)}`, "malformed_authorization"],
  ])("rejects %s header", (_name, authorization, code) => {
    const result = verify(authorization);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message).not.toContain(secret);
  });

  it("refuses to sign with an empty secret", () => {
    expect(() => signRequest({ secret: "", ...request })).toThrow(TypeError);
  });

  it("gives every request this process signs its own timestamp, so a retry within the same millisecond is no replay", () => {
    const headers = Array.from({ length: 50 }, () => signRequest({ secret, ...request }));
    const stamps = headers.map((value) => /ts=(\d+)/.exec(value)?.[1]);
    expect(new Set(stamps).size).toBe(50);
    expect(new Set(headers).size).toBe(50);
  });
});
