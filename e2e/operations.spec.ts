import { expect, signInThroughApi, test } from "./support/fixtures";

test.describe("draining a PoP", () => {
  test("an operator drains a PoP from the UI: preview, confirm, operation complete, PoP drained, audited; then restores it", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/pops/SEA1");
    await page.getByRole("button", { name: "Drain…" }).click();
    const dialog = page.getByRole("dialog", { name: /Drain SEA1/ });
    await expect(dialog).toBeVisible();

    // The preview: verdict, who takes the traffic (with predicted load), how many probes move and from where.
    await expect(dialog.getByRole("group", { name: "Safety verdict" })).toContainText("Safety checks pass.");
    const receivers = dialog.getByRole("table", { name: "PoPs taking the traffic" });
    await expect(receivers.locator("tbody tr").first()).toBeVisible();
    await expect(dialog.getByText(/Estimate: \d+ probe answers move/)).toBeVisible();
    await expect(dialog.getByText(/^From North America/)).toBeVisible();

    const confirm = dialog.getByRole("button", { name: "drain SEA1" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Reason").fill("Router maintenance, e2e test");
    await confirm.click();

    await expect(page).toHaveURL(/\/operations\/\w+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
    const timeline = page.getByRole("list", { name: "Operation timeline" });
    await expect(timeline.getByText(/^SEA1 \S+: acknowledged$/)).toHaveCount(3);
    await expect(timeline).toContainText("Completed: succeeded");

    await page.goto("/pops/SEA1");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Drained");
    await expect(page.getByRole("region", { name: "Announcements" })).toContainText("Drained (prepend ×3)");

    await page.goto("/audit?pop=SEA1");
    await expect(page.locator("tbody")).toContainText("operation.drain");
    await expect(page.locator("tbody")).toContainText("operator");

    await page.goto("/pops/SEA1");
    await page.getByRole("button", { name: "Restore…" }).click();
    const restore = page.getByRole("dialog", { name: /Restore SEA1/ });
    await expect(restore.getByRole("group", { name: "Safety verdict" })).toContainText("Safety checks pass.");
    await restore.getByLabel("Reason").fill("Maintenance done");
    await restore.getByRole("button", { name: "restore SEA1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
  });

  test("a withdraw cannot be confirmed until the operator types the PoP code", async ({ as }) => {
    const page = await as("admin");
    await page.goto("/pops/AKL1");
    await page.getByRole("button", { name: "Withdraw…" }).click();
    const dialog = page.getByRole("dialog", { name: /Withdraw AKL1/ });
    await expect(dialog.getByRole("group", { name: "Safety verdict" })).toContainText(/Safety checks (pass|fail)/);
    await dialog.getByLabel("Reason").fill("Fibre cut upstream");
    const confirm = dialog.getByRole("button", { name: /withdraw AKL1/ });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Type AKL1 to confirm the withdraw").fill("AKL1");
    await expect(confirm).toBeEnabled();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  });

  test("a viewer sees no operate controls, and the server refuses the action if called anyway", async ({ as, browser }) => {
    const operator = await as("operator");
    await operator.goto("/pops/SEA1");
    const requestPromise = operator.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
    await operator.getByRole("button", { name: "Drain…" }).click();
    const captured = await requestPromise;

    const context = await browser.newContext();
    const viewer = await context.newPage();
    await signInThroughApi(viewer.request, "viewer");
    await viewer.goto("/pops/SEA1");
    await expect(viewer.getByRole("heading", { level: 1 })).toContainText("SEA1");
    await expect(viewer.getByRole("button", { name: "Drain…" })).toHaveCount(0);
    const response = await viewer.request.post("/pops/SEA1", {
      headers: { "next-action": captured.headers()["next-action"]!, "content-type": captured.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: captured.postDataBuffer()!,
    });
    expect(await response.text()).toContain("This needs the operator role");
    await context.close();
  });
});
