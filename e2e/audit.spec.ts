import { readFile } from "node:fs/promises";
import { expect, test } from "./support/fixtures";

const HEADER = "time,actor,action,target_type,target_id,pop,ip,detail";

function records(csv: string): string[] {
  return csv.split("\r\n").slice(1).filter(Boolean);
}

test.describe("audit log", () => {
  test("a viewer sees sign-ins, filters by user, and gets a message for a bad date", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await expect(page.getByText(/append-only in the database itself/)).toBeVisible();
    const rows = page.locator("tbody tr");
    await expect(rows.filter({ hasText: "auth.sign_in" }).filter({ hasText: "viewer" }).first()).toBeVisible();

    await page.getByLabel("User", { exact: true }).fill("viewer");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/[?&]user=viewer/);
    await expect(rows.first()).toBeVisible();
    expect(new Set(await page.locator("tbody tr td:nth-child(2)").allInnerTexts())).toEqual(new Set(["viewer"]));

    await page.getByLabel("From (UTC)").fill("last tuesday");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.locator("#audit-from-error")).toContainText("Enter a date like 2026-11-25");
    await expect(page.getByLabel("From (UTC)")).toHaveValue("last tuesday");
    // The bad date is ignored, the rest of the filter still applies.
    await expect(rows.first()).toContainText("viewer");
  });

  test("on a phone the table scrolls on its own, not the page", async ({ as }) => {
    const page = await as("viewer");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/audit");
    await expect(page.locator("tbody tr").first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  test("an admin's PoP edit shows under its PoP and in the CSV export, which is itself audited", async ({ as }) => {
    const page = await as("admin");
    await page.goto("/pops/AMS1/edit");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(/\/pops\/AMS1$/);

    await page.goto("/audit");
    await page.getByLabel("PoP", { exact: true }).fill("ams1");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/[?&]pop=ams1/);
    await expect(page.getByLabel("PoP", { exact: true })).toHaveValue("AMS1");
    const newest = page.locator("tbody tr").first();
    await expect(newest.locator("td").nth(2)).toHaveText("pop.update");
    await expect(newest.locator("td").nth(1)).toHaveText("admin");
    await expect(newest.getByRole("link", { name: "AMS1" })).toHaveAttribute("href", "/pops/AMS1");
    for (const code of await page.locator("tbody tr td:nth-child(5)").allInnerTexts()) expect(code).toBe("AMS1");

    const exportLink = page.getByRole("link", { name: "Export CSV" });
    await expect(exportLink).toHaveAttribute("href", "/api/v1/audit?pop=AMS1");
    const downloading = page.waitForEvent("download");
    await exportLink.click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^catchment-audit-\d{8}-\d{4}\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe(HEADER);
    const lines = records(csv);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,admin,pop\.update,pop,AMS1,AMS1,/);
    for (const line of lines) expect(line).toMatch(/^[^,]+,[^,]*,[^,]+,[^,]*,[^,]*,AMS1,/);

    const response = await page.request.get("/api/v1/audit?action=audit.export");
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="catchment-audit-\d{8}-\d{4}\.csv"$/);
    const exports = records(await response.text());
    // The newest export listed is the download above; this request's own entry is not in its file.
    expect(exports[0]).toMatch(/,admin,audit\.export,audit_log,csv,,[^,]*,"\{""filter"":\{""pop"":""AMS1""\}\}"$/);
    const again = records(await (await page.request.get("/api/v1/audit?action=audit.export")).text());
    expect(again).toHaveLength(exports.length + 1);
    expect(again[0]).toContain('""action"":""audit.export""');

    await page.goto("/audit?action=audit.");
    await expect(page.locator("tbody tr").first()).toContainText("filter action=audit.export");
  });

  test("the export refuses a request without a session, and a bad date with a field error", async ({ request, as }) => {
    const anonymous = await request.get("/api/v1/audit");
    expect(anonymous.status()).toBe(401);
    const page = await as("viewer");
    const bad = await page.request.get("/api/v1/audit?from=2026-02-30");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.fieldErrors.from[0]).toContain("Enter a date");
  });
});
