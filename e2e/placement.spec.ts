import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { expectNoHorizontalScroll, PHONE } from "./support/phone";

/** Posts a scenario from the console's own page, as its scripts would: same origin, the session cookie. */
async function postScenario(page: Page, body: unknown): Promise<{ status: number; body: { error?: { message: string } } }> {
  return page.evaluate(async (data) => {
    const response = await fetch("/api/v1/placement/scenarios", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
    return { status: response.status, body: await response.json() };
  }, body);
}

/** Waits until the page's map has drawn its probes, then keeps a screenshot of the page with the e2e report. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await expect.poll(() => page.evaluate(() => window.__catchmentProbes?.drawnCount ?? 0), { timeout: 60_000 }).toBeGreaterThan(100);
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

test.describe("placement review", () => {
  test("a team lead saves a scenario with a candidate PoP at a searched city, edits it and deletes it, each step audited", async ({ as }, testInfo) => {
    const page = await as("operator");
    const name = `Nairobi site ${Date.now()}`;
    await page.goto("/placement");
    await expect(page.getByRole("table", { name: "Peak utilisation per PoP" })).toContainText("FRA1");
    await page.getByRole("link", { name: "New scenario" }).click();

    const editor = page.getByRole("form", { name: "New scenario" });
    await editor.getByLabel("Name").fill(name);
    await editor.getByLabel("Add a candidate PoP in a city").fill("nairo");
    await editor.getByRole("list", { name: "Cities found" }).getByRole("button", { name: /^Nairobi, KE/ }).click();
    const candidate = editor.getByRole("group", { name: "Candidate PoP in Nairobi" });
    await candidate.getByLabel("Capacity (Gbit/s)").fill("40");
    await candidate.getByRole("button", { name: /^\+ AS\d+ / }).first().click();
    await expect(candidate.getByLabel("Upstream ASNs")).toHaveValue(/^AS\d+$/);
    await editor.getByRole("checkbox", { name: "FRA1" }).check();
    await editor.getByRole("button", { name: "Save scenario" }).click();

    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
    const summary = page.getByRole("region", { name: "The scenario", exact: true });
    await expect(summary).toContainText(/Nairobi, KE: 40 Gbit\/s, via AS\d+/);
    await expect(summary).toContainText("FRA1");
    // The predicted result, an estimate: a PoP at Nairobi brings Africa's p90 down.
    const result = page.getByRole("region", { name: "Predicted result" });
    await expect(result).toContainText("Estimate");
    const africa = result.getByRole("table", { name: "RTT by region, before and after" }).getByRole("row", { name: /^Africa/ });
    await expect(africa.locator("td").nth(5)).toContainText(/\(-\d+\)/);
    await expect(result.getByRole("table", { name: "Load per PoP, before and after" })).toContainText("Nairobi (new)");
    // The map shows the new catchment: Nairobi's probes, in its own colour, with its marker.
    const nairobi = result.getByRole("list", { name: "Predicted catchment by PoP" }).getByRole("button", { name: /^Nairobi\s*new/ });
    const nairobiProbes = Number((await nairobi.locator("span.font-mono.tabular-nums").first().innerText()).replace(/,/g, ""));
    expect(nairobiProbes).toBeGreaterThan(0);
    await expect(page.getByRole("button", { name: `Nairobi (candidate): ${nairobiProbes} probes predicted` })).toBeVisible();
    await expect(page.getByRole("button", { name: /^FRA1: 0 probes predicted$/ })).toBeVisible();
    // The N-1 table with the scenario in place lists the candidate's own loss.
    const after = page.getByRole("table", { name: "N-1 after this scenario" });
    await expect(after.getByRole("row").filter({ hasText: /^Nairobi \(new\)\s*candidate/ })).toHaveCount(1);
    await expect(after.getByRole("link", { name: "FRA1", exact: true })).toHaveCount(0);
    await expect(result.getByTestId("n-minus-one-summary")).toContainText(/N-1 with this scenario: (no single PoP loss breaks a limit|\d+ of \d+ single PoP losses break a limit)/);
    await keepScreenshot(page, testInfo, "scenario: a PoP at Nairobi, without FRA1");
    await nairobi.click();
    await expect(nairobi).toHaveAttribute("aria-pressed", "true");
    const exported = await page.request.get(await result.getByRole("link", { name: "Export CSV" }).getAttribute("href") ?? "");
    expect(exported.headers()["content-disposition"]).toMatch(/attachment; filename="catchment-scenario-nairobi-site-\d+\.csv"/);
    expect(await exported.text()).toMatch(/\r\nNairobi \(new\),yes,40,/);

    // Side by side with another scenario.
    const scenarioUrl = page.url();
    const other = await postScenario(page, { name: `${name}: without FRA1`, definition: { removed: ["FRA1"] } });
    expect(other.status).toBe(201);
    await page.goto("/placement");
    const compare = page.getByRole("form", { name: "Compare two scenarios" });
    await compare.getByLabel("Scenario").selectOption({ label: name });
    await compare.getByLabel("against").selectOption({ label: `${name}: without FRA1` });
    await compare.getByRole("button", { name: "Compare side by side" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Compare scenarios");
    await expect(page.getByRole("region", { name, exact: true })).toContainText("Nairobi (new)");
    await expect(page.getByRole("region", { name: `${name}: without FRA1` })).toContainText(/FRA1/);
    // Both pages fit a phone (the phone spec has no scenario to show).
    await page.setViewportSize(PHONE);
    await expectNoHorizontalScroll(page, "/placement/compare");
    await page.goto(scenarioUrl);
    await expectNoHorizontalScroll(page, "a scenario's page with its result");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(scenarioUrl);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

    // A PoP code the fleet lacks is refused by name (through the API the page's editor shares checks with).
    const refused = await postScenario(page, { name: "bad", definition: { removed: ["ZZZ9"] } });
    expect(refused).toEqual({ status: 400, body: { error: expect.objectContaining({ message: "The fleet has no PoP ZZZ9." }) } });

    await page.getByRole("link", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: `Edit scenario ${name}` });
    await edit.getByRole("checkbox", { name: "FRA1" }).uncheck();
    await edit.getByLabel("Name").fill(`${name} (kept FRA1)`);
    await edit.getByRole("button", { name: "Save scenario" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} (kept FRA1)`);
    await expect(page.getByRole("region", { name: "The scenario", exact: true })).toContainText("PoPs removednone");

    await page.getByRole("link", { name: "Edit" }).click();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete this scenario" }).click();
    await expect(page).toHaveURL(/\/placement$/);
    await expect(page.getByRole("table", { name: "Placement scenarios" }).getByText(name, { exact: true })).toHaveCount(0);

    await page.goto("/audit");
    const log = page.locator("tbody");
    for (const action of ["scenario.create", "scenario.update", "scenario.delete"]) await expect(log).toContainText(action);
  });

  test("on the demo fleet, the N-1 table flags FRA1, whose loss pushes AMS1 and CDG1 over 85 %", async ({ as }, testInfo) => {
    const page = await as("viewer");
    await page.goto("/placement");
    const table = page.getByRole("table", { name: "N-1 resilience" });
    const fra1 = table.getByRole("row").filter({ has: page.getByRole("link", { name: "FRA1", exact: true }) });
    await expect(fra1).toContainText("breaks");
    await expect(fra1).toContainText(/AMS1 \d+ %.*over 85 %/);
    await expect(fra1).toContainText(/CDG1 \d+ %/);
    // Worst first: no PoP that holds is listed above one that breaks.
    const verdicts = await table.locator("tbody tr td:nth-child(2) span").allInnerTexts();
    expect(verdicts.indexOf("holds")).toBeGreaterThan(verdicts.lastIndexOf("breaks"));

    const quality = page.getByRole("table", { name: "Service quality by region" });
    await expect(quality.getByRole("row", { name: /^Africa/ })).toBeVisible();
    await expect(page.getByRole("table", { name: "Worst countries" }).locator("tbody tr")).not.toHaveCount(0);
    // The map: probes coloured by inflation, with the share in each band.
    await expect(page.getByRole("region", { name: /coloured by path inflation/ })).toBeVisible();
    await expect(page.getByLabel("Inflation legend")).toContainText(/under 10 ms\s*\d+ %/);
    await keepScreenshot(page, testInfo, "placement review: what breaks if FRA1 dies, and where users are badly served");
    const csv = await page.request.get("/api/v1/placement/n-minus-one?format=csv");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toMatch(/\r\nFRA1,yes,[^\r]*AMS1/);
    // Printed for a review: no navigation or controls, the tables in full.
    await page.emulateMedia({ media: "print" });
    await expect(page.locator('header[data-print="hide"]')).toBeHidden();
    await expect(page.getByRole("link", { name: "Export CSV" })).toBeHidden();
    await expect(page.getByRole("heading", { name: "N-1 resilience" })).toBeVisible();
    await page.emulateMedia({ media: "screen" });
    const api = await page.request.get("/api/v1/placement/n-minus-one");
    expect(api.status()).toBe(200);
    expect((await api.json()).rows.find((row: { code: string }) => row.code === "FRA1")).toMatchObject({ breaks: true });
  });

  test("recommends new sites with progress on screen, and names the PoPs cheapest to remove", async ({ as }, testInfo) => {
    const page = await as("viewer");
    await page.goto("/placement");
    const form = page.getByRole("form", { name: "Recommend new sites" });
    await form.getByLabel("New sites (k)").selectOption("2");
    await form.getByLabel("Improve").selectOption("worst-region-p90");
    await form.getByRole("button", { name: /^Rank sites for / }).click();
    const sites = page.getByRole("table", { name: "Recommended sites" });
    await expect(sites.locator("tbody tr")).toHaveCount(10, { timeout: 30_000 });
    await expect(sites.locator("tbody tr").first()).toContainText(" + ");
    await expect(page.getByRole("table", { name: "Cheapest PoPs to remove" }).locator("tbody tr")).toHaveCount(10);
    await keepScreenshot(page, testInfo, "placement review: where the next two PoPs should go, and what they gain");
    // A pasted list: each line a city, one that is none named back.
    await form.getByLabel(/Candidate cities/).fill("Nairobi, KE\nLagos, NG\nAtlantis, ZZ");
    await form.getByLabel("New sites (k)").selectOption("1");
    await form.getByRole("button", { name: /^Rank sites for / }).click();
    await expect(page.getByText("Not found in the city dataset: Atlantis, ZZ.")).toBeVisible({ timeout: 30_000 });
    await expect(sites.locator("tbody tr")).toHaveCount(2);
    const refused = await page.evaluate(async () => {
      const response = await fetch("/api/v1/placement/recommendations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ k: 6, objective: "traffic-p90" }) });
      return response.status;
    });
    expect(refused).toBe(400);
  });

  test("a viewer reads placement but cannot write a scenario", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/placement");
    await expect(page.getByRole("heading", { name: "Placement review" })).toBeVisible();
    await expect(page.getByRole("link", { name: "New scenario" })).toHaveCount(0);
    expect((await page.goto("/placement/scenarios/new"))?.status()).toBe(403);
    const refused = await postScenario(page, { name: "viewer's", definition: {} });
    expect(refused).toEqual({ status: 403, body: { error: expect.objectContaining({ message: "This needs the operator role." }) } });
  });
});
