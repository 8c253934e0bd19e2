import { request as newRequest } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { expect, test } from "./support/fixtures";

test.describe("API tokens", () => {
  test("an admin creates a token, shown once, that works over HTTP until it is revoked", async ({ as }) => {
    const page = await as("admin");
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();

    // Refused whole, field by field, with what was typed kept.
    const form = page.getByRole("form", { name: "New token" });
    await form.getByLabel("Expires after (days)").fill("0");
    await form.getByRole("button", { name: "Create token" }).click();
    await expect(form.getByText("Choose the user the token acts as.")).toBeVisible();
    await expect(form.getByText("Name it after what will use it")).toBeVisible();
    await expect(form.getByText("At least 1 day.")).toBeVisible();

    const name = `e2e-reader-${Date.now()}`;
    await form.getByLabel("Acts as").selectOption("viewer");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Expires after (days)").fill("7");
    await form.getByLabel(/^ingest/).uncheck();
    await form.getByLabel(/^read/).check();
    await form.getByRole("button", { name: "Create token" }).click();
    await expect(form.getByText("Copy it now: it is not shown again.")).toBeVisible();
    const token = await form.getByLabel("The new token (shown only now)").inputValue();
    expect(token).toMatch(/^ctm_/);

    const row = page.locator("tbody tr", { hasText: name });
    await expect(row).toContainText("viewer");
    await expect(row).toContainText("read");
    await expect(row).toContainText("active");
    await expect(row).toContainText(token.slice(0, 10));
    // Only its first characters are on the page, once the form is gone.
    await page.reload();
    expect(await page.content()).not.toContain(token);

    // A client of its own: no session cookie, only the token.
    const api = await newRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    try {
      expect((await api.get("/api/v1/catchment?prefix=192.0.2.0%2F24")).status()).toBe(200);
      // Neither its scope (read) nor its user (a viewer) may ingest.
      expect((await api.post("/api/v1/measurements", { data: [] })).status()).toBe(403);

      page.once("dialog", (dialog) => void dialog.accept());
      await page.locator("tbody tr", { hasText: name }).getByRole("button", { name: "Revoke" }).click();
      await expect(page.locator("tbody tr", { hasText: name })).toContainText("revoked");
      expect((await api.get("/api/v1/catchment?prefix=192.0.2.0%2F24")).status()).toBe(401);
    } finally {
      await api.dispose();
    }

    await page.goto(`/audit?action=api_token.`);
    await expect(page.locator("tbody tr").filter({ hasText: "api_token.revoke" }).first()).toBeVisible();
    await expect(page.locator("tbody tr").filter({ hasText: "api_token.create" }).filter({ hasText: name }).first()).toBeVisible();
  });

  test("the page is the admin's alone: no link and a 403 for an operator", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" })).toHaveCount(0);
    const response = await page.goto("/tokens");
    expect(response?.status()).toBe(403);
  });
});
