import { baseURL } from "../playwright.config";
import { expect, test } from "./support/fixtures";

test.describe("catchment over time and the lookup", () => {
  test("the catchment page draws share per PoP and RTT per region, labelled simulated, and filters by prefix", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/catchment");
    await expect(page.getByText("Simulated data")).toBeVisible();
    const shares = page.getByRole("figure", { name: "Catchment share per PoP over time" });
    // One stacked band per PoP (the 12 biggest and the rest): what recharts actually drew.
    await expect.poll(() => shares.locator("path.recharts-area-area").count()).toBeGreaterThanOrEqual(10);
    const rtt = page.getByRole("figure", { name: "Median RTT per region over time" });
    await expect.poll(() => rtt.locator("path.recharts-line-curve").count()).toBeGreaterThanOrEqual(5);
    await expect(page.getByRole("group", { name: "Flips" }).getByTestId("stat-value")).toHaveText(/^\d+$/);

    await page.getByRole("navigation", { name: "Filter by prefix or service" }).getByRole("link", { name: "2001:db8:53::/48" }).click();
    await expect(page).toHaveURL(/\/catchment\?prefix=\d+/);
    await expect(page.getByText(/2001:db8:53::\/48\. Refreshes/)).toBeVisible();
    await page.goto("/catchment?prefix=198.18.0.0%2F15");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  });

  test("which PoP served this: a demo probe's latest answers per prefix and its history", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/catchment");
    await page.getByRole("search", { name: "Which PoP served this?" }).getByLabel("Probe id or address").fill("sim-1001");
    await page.getByRole("button", { name: "Which PoP?" }).click();
    await expect(page).toHaveURL(/\/lookup\?q=sim-1001/);
    const latest = page.getByRole("table", { name: "Latest answer per prefix" });
    await expect(latest.locator("tbody tr")).toHaveCount(3);
    await expect(latest.locator("tbody tr").first().getByRole("link")).toHaveAttribute("href", /^\/pops\/[A-Z0-9]+$/);
    expect(await page.getByRole("table", { name: "Answers of the last 24 hours" }).locator("tbody tr").count()).toBeGreaterThan(3);

    await page.getByLabel("Probe id or address").fill("no-such-probe");
    await page.getByRole("button", { name: "Look up" }).click();
    await expect(page.getByText("No probe has the id or address no-such-probe.")).toBeVisible();
  });

  test("an operator's session may post measurements; a viewer's may not", async ({ as, browser }) => {
    const page = await as("operator");
    const csv = `probe_id,lat,lon,country,answer,rtt_ms,timestamp,target\ne2e-probe-1,48.85,2.35,FR,nowhere.example,9.5,${new Date().toISOString()},192.0.2.0/24`;
    const posted = await page.request.post("/api/v1/measurements?format=csv", { data: csv, headers: { "content-type": "text/csv", origin: baseURL } });
    expect(posted.status()).toBe(200);
    expect(await posted.json()).toMatchObject({ written: 1, unmatched: [{ answer: "nowhere.example", count: 1 }] });

    const viewerContext = await browser.newContext();
    const { signInThroughApi } = await import("./support/fixtures");
    await signInThroughApi(viewerContext.request, "viewer");
    const refused = await viewerContext.request.post("/api/v1/measurements?format=csv", { data: csv, headers: { "content-type": "text/csv", origin: baseURL } });
    expect(refused.status()).toBe(403);
    await viewerContext.close();
  });
});
