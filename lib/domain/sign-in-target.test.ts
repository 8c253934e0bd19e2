import { describe, expect, it } from "vitest";
import { signInTarget } from "./sign-in-target";

describe("signInTarget", () => {
  it("keeps a path on the console, with its query and fragment", () => {
    expect(signInTarget("/pops")).toBe("/pops");
    expect(signInTarget("/pops/AMS1?tab=announcements#top")).toBe("/pops/AMS1?tab=announcements#top");
    expect(signInTarget("/audit?user=alice%2Fbob")).toBe("/audit?user=alice%2Fbob");
  });

  it("goes to / without a target", () => {
    expect(signInTarget(undefined)).toBe("/");
    expect(signInTarget(null)).toBe("/");
    expect(signInTarget("")).toBe("/");
  });

  it.each([
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example",
    "https:/evil.example/x",
    "//evil.example/%2e%2e",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\u0000//evil.example",
    "\u001f/\\evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "javascript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@evil.example",
  ])("refuses %j, which a browser would take off-site", (target) => {
    expect(signInTarget(target)).toBe("/");
  });

  it("once decoded by the query string, encoded tricks are the same strings and are refused", () => {
    for (const encoded of ["%2F%5Cevil.example", "%2F%2Fevil.example", "%2F%09%2Fevil.example", "https%3A%2F%2Fevil.example"]) {
      expect(signInTarget(new URLSearchParams(`next=${encoded}`).get("next"))).toBe("/");
    }
  });

  it("leaves doubly encoded slashes encoded, on the console", () => {
    expect(signInTarget("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
  });

  it("given the console's origin, accepts absolute URLs on it and no other", () => {
    const origin = "http://localhost:3000";
    expect(signInTarget("http://localhost:3000/pops?x=1", origin)).toBe("/pops?x=1");
    expect(signInTarget("/pops", origin)).toBe("/pops");
    expect(signInTarget("http://localhost:3001/pops", origin)).toBe("/");
    expect(signInTarget("https://localhost:3000/pops", origin)).toBe("/");
    expect(signInTarget("http://localhost:3000@evil.example/", origin)).toBe("/");
    expect(signInTarget("http://evil.example/http://localhost:3000/", origin)).toBe("/");
    expect(signInTarget("/\\evil.example", origin)).toBe("/");
  });

  it("without the console's origin, accepts paths only", () => {
    expect(signInTarget("http://localhost:3000/pops")).toBe("/");
  });

  it("goes to / when the console's origin is not a URL", () => {
    expect(signInTarget("/pops", "not a url")).toBe("/");
  });
});
