import { describe, expect, it } from "vitest";
import { clientIpFrom } from "./client-ip";

describe("clientIpFrom", () => {
  it("ignores X-Forwarded-For unless the proxy is trusted", () => {
    expect(clientIpFrom("203.0.113.9", false)).toBeNull();
  });

  it("behind a trusted proxy, takes the address the proxy appended, not what the client claimed", () => {
    expect(clientIpFrom("6.6.6.6, 203.0.113.9", true)).toBe("203.0.113.9");
    expect(clientIpFrom(" 2001:db8::1 ", true)).toBe("2001:db8::1");
    expect(clientIpFrom("", true)).toBeNull();
    expect(clientIpFrom(null, true)).toBeNull();
  });
});
