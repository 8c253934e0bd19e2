import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page, Response } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { expect, test } from "./support/fixtures";

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
