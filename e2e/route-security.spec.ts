import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, Response } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { expect, signInThroughApi, test } from "./support/fixtures";

// Issue #14, point 1: a page on another port of the same host is the same *site* as the
// console, so the browser sends the console's session cookie with its form posts. This is
// the attack that drained a PoP: a text/plain form whose body reads as JSON.

/** A tiny site of its own on another port, serving the given pages (path -> HTML). */
async function startOtherSite(pages: Record<string, string>): Promise<{ origin: string; stop: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const html = pages[request.url ?? ""];
    response.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(html ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost", as the console: same site, other origin.
    origin: `http://localhost:${port}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A form that posts `json` as text/plain the moment it loads: name + "=" + value reads as that JSON. */
function autoSubmittingForm(action: string, json: Record<string, unknown>): string {
  const opening = JSON.stringify({ ...json, pad: "" }).slice(0, -2);
  const attribute = (text: string) => text.replaceAll("&", "&amp;").replaceAll("'", "&#39;");
  return `<!doctype html><form method="POST" action="${action}" enctype="text/plain">
<input type="hidden" name='${attribute(opening)}' value='"}'></form>
<script>document.forms[0].submit()</script>`;
}

async function postFromOtherSite(page: Page, sitePath: string, origin: string, apiPath: string): Promise<Response> {
  const posted = page.waitForResponse((response) => response.url().startsWith(`${baseURL}${apiPath}`) && response.request().method() === "POST");
  await page.goto(`${origin}${sitePath}`);
  return posted;
}

test.describe("cross-site requests with a session cookie", () => {
  test("a cross-origin text/plain form can neither drain a PoP nor post measurements as the signed-in operator", async ({ as }) => {
    const page = await as("operator");
    const marker = `csrf-${Date.now()}`;
    const site = await startOtherSite({
      "/drain": autoSubmittingForm(`${baseURL}/api/v1/operations`, { kind: "drain", popCodes: "DFW1", reason: marker }),
      "/ingest": autoSubmittingForm(`${baseURL}/api/v1/measurements?format=ndjson`, {
        probe_id: marker,
        lat: 48.85,
        lon: 2.35,
        answer: "nowhere.example",
        rtt_ms: 9.5,
        timestamp: new Date().toISOString(),
        target: "192.0.2.0/24",
      }),
    });
    try {
      for (const [sitePath, apiPath] of [
        ["/drain", "/api/v1/operations"],
        ["/ingest", "/api/v1/measurements"],
      ] as const) {
        const response = await postFromOtherSite(page, sitePath, site.origin, apiPath);
        // The attack is real: the browser sent the operator's session with the other site's post.
        expect(await response.request().headerValue("cookie")).toContain("next-auth.session-token");
        expect(await response.request().headerValue("origin")).toBe(site.origin);
        expect(response.status(), `${apiPath} answered a cross-origin form`).toBe(403);
        expect(await response.json()).toMatchObject({ error: { code: "forbidden", message: expect.stringMatching(/another site/) } });
      }
    } finally {
      await site.stop();
    }

    // Nothing was recorded: no operation with that reason, no probe with that id.
    await page.goto("/operations");
    await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();
    await expect(page.getByText(marker)).toHaveCount(0);
    await page.goto(`/lookup?q=${marker}`);
    await expect(page.getByText(`No probe has the id or address ${marker}.`)).toBeVisible();
  });

  test("the console's own page may post JSON with fetch; a same-origin text/plain post is still refused", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/operations");
    const marker = `same-origin-${Date.now()}`;
    const post = (body: Record<string, unknown>, contentType = "application/json") =>
      page.evaluate(
        async ([body, contentType]) => {
          const response = await fetch("/api/v1/operations", { method: "POST", headers: { "content-type": contentType }, body: JSON.stringify(body) });
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        },
        [body, contentType] as const,
      );

    const plain = await post({ kind: "drain", popCodes: "DFW1", reason: marker }, "text/plain");
    expect(plain.status).toBe(403);
    expect(plain.body).toMatchObject({ error: { code: "forbidden", message: expect.stringMatching(/application\/json/) } });

    const drained = await post({ kind: "drain", popCodes: "DFW1", reason: marker });
    expect(drained).toMatchObject({ status: 200, body: { status: "succeeded" } });
    const restored = await post({ kind: "restore", popCodes: "DFW1", reason: `${marker} undone` });
    expect(restored).toMatchObject({ status: 200, body: { status: "succeeded" } });
    await page.reload();
    await expect(page.getByText(marker, { exact: true })).toBeVisible();
  });
});

// Issue #14, point 12.
test.describe("security headers", () => {
  test("pages carry a nonce Content-Security-Policy that allows no framing; API answers and the map's files a fixed one", async ({ request, as }) => {
    const signin = await request.get("/signin");
    const policy = signin.headers()["content-security-policy"] ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/https?:|unsafe-eval/);
    // The nonce is fresh per request and on the page's own scripts.
    const nonce = policy.match(/'nonce-([^']+)'/)![1]!;
    expect((await request.get("/signin")).headers()["content-security-policy"]).not.toContain(nonce);
    expect(await signin.text()).toContain(`nonce="${nonce}"`);

    const page = await as("viewer");
    for (const response of [signin, await page.request.get("/"), await page.request.get("/api/v1/catchment?prefix=192.0.2.0%2F24"), await page.request.get("/maplibre-gl.mjs")]) {
      const headers = response.headers();
      expect(headers["x-frame-options"], response.url()).toBe("DENY");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("same-origin");
      expect(headers["content-security-policy"]).toBeTruthy();
      // Served over plain http here: no HSTS (lib/security-headers.test.ts: sent for https).
      expect(headers["strict-transport-security"]).toBeUndefined();
    }
    expect((await page.request.get("/api/v1/catchment?prefix=192.0.2.0%2F24")).headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect((await page.request.get("/maplibre-gl-worker.mjs")).headers()["content-security-policy"]).toBe("default-src 'self'; frame-ancestors 'none'");
  });

  test("another site cannot frame a PoP page with its drain button", async ({ as }) => {
    const page = await as("operator");
    const site = await startOtherSite({ "/frame": `<!doctype html><iframe src="${baseURL}/pops/AMS1" width="800" height="600"></iframe>` });
    try {
      const framed = page.waitForResponse(`${baseURL}/pops/AMS1`);
      await page.goto(`${site.origin}/frame`);
      // The console answered the framed request (with the session) and the browser refused to show it.
      expect((await framed).status()).toBe(200);
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame())!;
      await expect.poll(() => frame.url()).not.toBe("about:blank");
      expect(frame.url()).not.toContain("/pops/AMS1");
      expect(await frame.getByRole("button", { name: /Drain/ }).count()).toBe(0);
    } finally {
      await site.stop();
    }
  });

  test("no page reports a CSP violation, and the map still draws in WebGL with its worker", async ({ as, browser }) => {
    const page = await as("admin");
    const violations: string[] = [];
    const watch = (watched: Page) => {
      watched.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(`${watched.url()}: ${message.text()}`);
      });
      watched.on("pageerror", (error) => violations.push(`${watched.url()}: ${error.message}`));
    };
    watch(page);
    for (const pagePath of ["/", "/pops", "/pops/AMS1", "/prefixes", "/rpki", "/catchment", "/lookup?q=sim-1001", "/operations", "/audit", "/tokens", "/no-such-page"]) {
      await page.goto(pagePath);
      await page.waitForLoadState("networkidle");
    }
    // Scripts ran under the policy: a client component answers a click.
    await page.goto("/pops/AMS1");
    await page.getByRole("button", { name: /^Drain/ }).first().click();
    await expect(page.getByRole("dialog")).toBeVisible();

    await page.goto(`/map?prefix=${encodeURIComponent("192.0.2.0/24")}`);
    await page.waitForFunction(() => performance.getEntriesByName("catchment-map:probes-rendered").length > 0, undefined, { timeout: 90_000 });
    expect(await page.evaluate(() => Boolean(document.querySelector("canvas")?.getContext("webgl2") ?? document.querySelector("canvas")?.getContext("webgl")))).toBe(true);

    const visitor = await browser.newPage({ baseURL });
    watch(visitor);
    await visitor.goto("/signin");
    await visitor.getByLabel("User name").fill("nobody");
    await visitor.getByLabel("Password").fill("wrong-password");
    await visitor.getByRole("button", { name: "Sign in", exact: true }).click();
    // The form's script ran: it shows the refusal in place.
    await expect(visitor.getByRole("main").getByRole("alert")).toHaveText(/\w/);
    await visitor.close();

    expect(violations).toEqual([]);
  });
});

test.describe("the sign-in endpoint, open to anyone", () => {
  test("refuses a body past 64 KiB before next-auth reads it, and still signs in with a form's", async ({ request }) => {
    const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
    const huge = await request.post("/api/auth/callback/credentials", { form: { csrfToken, username: "x".repeat(100_000), password: "y" }, maxRedirects: 0 });
    expect(huge.status()).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: "too_large", message: "The body is larger than 64 KiB." } });
    await signInThroughApi(request, "viewer");
  });
});
