import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, strictTransportSecurity } from "./security-headers.mjs";

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe("contentSecurityPolicy", () => {
  it("allows our own origin and the request's nonce only, and no framing", () => {
    const policy = directives(contentSecurityPolicy({ nonce: "abc123" }));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    // No remote host anywhere: every source is a keyword or a scheme of our own content.
    for (const [, sources] of policy) for (const source of sources) expect(source).toMatch(/^('[a-z0-9-]+'|data:|blob:)$/);
  });

  it("lets React's development build evaluate code, never production", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: "n" })).not.toContain("unsafe-eval");
  });
});

describe("strictTransportSecurity", () => {
  it("is sent only when the console is served over TLS", () => {
    expect(strictTransportSecurity("https://console.example.net")).toMatch(/^max-age=\d+/);
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });
});
