import { describe, expect, it } from "vitest";
import { checkSessionRequest, mediaType } from "./session-request";

const PUBLIC_URL = "http://localhost:3000";
const JSON_ONLY = ["application/json"];

/** A request with a small body, unless the headers say otherwise. */
function check(headers: Record<string, string>, contentTypes = JSON_ONLY, publicUrl: string | undefined = PUBLIC_URL) {
  return checkSessionRequest({ headers: new Headers({ "content-length": "2", ...headers }), publicUrl, contentTypes });
}

describe("checkSessionRequest", () => {
  it("lets the console's own fetch through: its Origin, JSON", () => {
    expect(check({ host: "localhost:3000", origin: "http://localhost:3000", "content-type": "application/json", "sec-fetch-site": "same-origin" })).toEqual({ ok: true });
    // Reached under another name than NEXTAUTH_URL's: the browser's Host and Origin agree.
    expect(check({ host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", "content-type": "application/json; charset=utf-8" })).toEqual({ ok: true });
    // Behind a proxy that rewrites Host: the public URL names the origin.
    expect(check({ host: "10.0.0.5:3000", origin: "https://console.example.net", "content-type": "application/json" }, JSON_ONLY, "https://console.example.net")).toEqual({ ok: true });
    expect(check({ "sec-fetch-site": "same-origin", "content-type": "application/json" })).toEqual({ ok: true });
  });

  it("refuses another port of the same host (same site, other origin), whatever the body type", () => {
    for (const headers of <Record<string, string>[]>[
      { host: "localhost:3000", origin: "http://localhost:4100", "content-type": "application/json" },
      { host: "localhost:3000", origin: "http://localhost:4100", "content-type": "text/plain", "sec-fetch-site": "same-site" },
      { host: "localhost:3000", "sec-fetch-site": "cross-site", "content-type": "application/json" },
      { host: "localhost:3000", origin: "null", "content-type": "application/json" },
      // X-Forwarded-Host is any client's to write: not consulted.
      { host: "localhost:3000", origin: "http://evil.example", "x-forwarded-host": "evil.example", "content-type": "application/json" },
    ]) {
      const verdict = check(headers);
      expect(verdict.ok, JSON.stringify(headers)).toBe(false);
      if (!verdict.ok) expect(verdict.message).toMatch(/another site/);
    }
  });

  it("refuses a request that names no origin at all", () => {
    const verdict = check({ host: "localhost:3000", "content-type": "application/json" });
    expect(verdict).toMatchObject({ ok: false, message: expect.stringMatching(/names no Origin/) });
  });

  it("refuses a body type a form could send, from the console's own origin too", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const verdict = check({ host: "localhost:3000", origin: "http://localhost:3000", "content-type": type });
      expect(verdict).toMatchObject({ ok: false, message: expect.stringMatching(/takes a body of type application\/json/) });
    }
    expect(check({ host: "localhost:3000", origin: "http://localhost:3000", "content-type": "text/csv" }, ["text/csv", "application/json"])).toEqual({ ok: true });
    // Streamed: no length, the body is there all the same.
    expect(check({ host: "localhost:3000", origin: "http://localhost:3000", "content-length": "0", "transfer-encoding": "chunked", "content-type": "text/plain" }).ok).toBe(false);
  });

  it("lets a request without a body through from the console's own origin (a DELETE), not from elsewhere", () => {
    expect(check({ host: "localhost:3000", origin: "http://localhost:3000", "content-length": "0" })).toEqual({ ok: true });
    expect(check({ host: "localhost:3000", origin: "http://localhost:4100", "content-length": "0" }).ok).toBe(false);
  });

  it("reads the media type without its parameters", () => {
    expect(mediaType("Application/JSON ; charset=UTF-8")).toBe("application/json");
    expect(mediaType(null)).toBe("");
  });
});
