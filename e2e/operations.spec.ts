import type { Request } from "@playwright/test";
import { expect, signInThroughApi, test } from "./support/fixtures";
import { expectNoHorizontalScroll, PHONE } from "./support/phone";

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
    // The catchment model's evidence for the moving answers.
    await expect(dialog.getByText(/^Evidence: \d+ observed in an earlier operation, \d+ inferred from topology and neighbours, \d+ by RTT and distance alone\.$/)).toBeVisible();

    const confirm = dialog.getByRole("button", { name: "drain SEA1" });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel("Reason").fill("Router maintenance, e2e test");
    await confirm.click();

    await expect(page).toHaveURL(/\/operations\/\w+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
    const timeline = page.getByRole("list", { name: "Operation timeline" });
    await expect(timeline.getByText(/^SEA1 \S+: acknowledged$/)).toHaveCount(3);
    await expect(timeline).toContainText("Completed: succeeded");
    await expect(page.getByText(/^Evidence: \d+ observed in an earlier operation/)).toBeVisible();

    await page.goto("/pops/SEA1");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Drained");
    await expect(page.getByRole("region", { name: "Announcements" })).toContainText("Drained (prepend ×3)");
    // What SEA1's upstreams now receive, as its agent reads it from the speaker (polled every 2 s).
    await expect(async () => {
      await page.reload();
      const exported = page.getByRole("region", { name: /^Exported to / }).first();
      await expect(exported).toContainText("AS path 64500 64500 64500 64500", { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

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

  test("the operation page checks the drain's prediction against what the probes measured once it settled", async ({ as }) => {
    // Settle time 25 s in the e2e console, checked by the sweeper every 30 s. ORD1: its drain passes
    // the capacity check at any hour (lib/demo/fleet.test.ts), so this test does not depend on the clock.
    test.setTimeout(150_000);
    const page = await as("operator");
    await page.goto("/pops/ORD1");
    await page.getByRole("button", { name: "Drain…" }).click();
    const dialog = page.getByRole("dialog", { name: /Drain ORD1/ });
    await expect(dialog.getByText(/^Evidence: /)).toBeVisible();
    await dialog.getByLabel("Reason").fill("Prediction check, e2e test");
    await dialog.getByRole("button", { name: "drain ORD1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
    const check = page.getByRole("region", { name: "Prediction against measurement" });
    await expect(check).toContainText("Checked once the operation has settled: 25 s after it finished");

    await expect(async () => {
      await page.reload();
      await expect(check).toContainText(/right for \d+\.\d % of the \d+ probes the change could move/, { timeout: 1_000 });
    }).toPass({ timeout: 110_000, intervals: [5_000] });
    // IAD1, the nearest PoP to ORD1, takes much of its catchment.
    await expect(check.getByRole("table", { name: /Predicted against measured share/ }).first()).toContainText("IAD1");
    await expect(check).toContainText(/Predicted load off by \d+\.\d %/);
    // The checked prediction fits a phone (the phone spec sees this page only before any check).
    await page.setViewportSize(PHONE);
    await expectNoHorizontalScroll(page, "the operation page with its checked prediction");

    await page.goto("/catchment");
    const record = page.getByRole("region", { name: "Prediction accuracy, last 30 days" });
    await expect(record).toContainText(/drain: right for \d+\.\d %/);
    await expect(record.getByRole("link", { name: "drain ORD1" }).first()).toBeVisible();
    await expectNoHorizontalScroll(page, "/catchment with the prediction record");

    await page.goto("/pops/ORD1");
    await page.getByRole("button", { name: "Restore…" }).click();
    const restore = page.getByRole("dialog", { name: /Restore ORD1/ });
    await restore.getByLabel("Reason").fill("Prediction check done");
    await restore.getByRole("button", { name: "restore ORD1" }).click();
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
    const code = dialog.getByLabel("Type AKL1 to confirm the withdraw");
    // A wrong code says so next to the field, not just a button that stays grey.
    await code.fill("AKL2");
    await expect(dialog.getByText("That is not AKL1: type AKL1 exactly to confirm the withdraw.")).toBeVisible();
    await expect(code).toHaveAttribute("aria-invalid", "true");
    await expect(confirm).toBeDisabled();
    // Half typed is not wrong yet.
    await code.fill("AK");
    await expect(dialog.getByText(/That is not AKL1/)).toHaveCount(0);
    await code.fill("akl1");
    await expect(dialog.getByText(/That is not AKL1/)).toHaveCount(0);
    await expect(confirm).toBeEnabled();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
  });

  test("a viewer sees no operate controls, and the server refuses the preview and the action if called anyway", async ({ as, browser }) => {
    const operator = await as("operator");
    await operator.goto("/pops/SEA1");
    // The operator's confirm posts the server action: caught here, and never let through.
    let captured: Request | null = null;
    await operator.route("**/pops/SEA1", async (route) => {
      if (route.request().method() !== "POST" || !route.request().headers()["next-action"]) return route.continue();
      captured = route.request();
      await route.abort();
    });
    await operator.getByRole("button", { name: "Drain…" }).click();
    const dialog = operator.getByRole("dialog", { name: /Drain SEA1/ });
    await expect(dialog.getByRole("group", { name: "Safety verdict" })).toContainText("Safety checks pass.");
    await dialog.getByLabel("Reason").fill("captured, never sent");
    await dialog.getByRole("button", { name: "drain SEA1" }).click();
    await expect.poll(() => captured !== null).toBe(true);
    const action = captured! as Request;

    const context = await browser.newContext();
    const viewer = await context.newPage();
    await signInThroughApi(viewer.request, "viewer");
    await viewer.goto("/pops/SEA1");
    await expect(viewer.getByRole("heading", { level: 1 })).toContainText("SEA1");
    await expect(viewer.getByRole("button", { name: "Drain…" })).toHaveCount(0);
    const preview = await viewer.request.get("/api/v1/operations/preview?kind=drain&popCodes=SEA1&prependCount=3");
    expect(preview.status()).toBe(403);
    expect((await preview.json()).error.message).toBe("This needs the operator role.");
    const response = await viewer.request.post("/pops/SEA1", {
      headers: { "next-action": action.headers()["next-action"]!, "content-type": action.headers()["content-type"] ?? "text/plain;charset=UTF-8", accept: "text/x-component" },
      data: action.postDataBuffer()!,
    });
    expect(await response.text()).toContain("This needs the operator role");
    await context.close();
  });

  test("the preview is a GET an operator's script can ask: bad input and unknown PoPs are named", async ({ as }) => {
    const operator = await as("operator");
    const ask = async (query: string) => {
      const response = await operator.request.get(`/api/v1/operations/preview?${query}`);
      return { status: response.status(), body: await response.json() };
    };
    const drain = await ask("kind=drain&popCodes=SEA1&prependCount=2");
    expect(drain.status).toBe(200);
    expect(drain.body).toMatchObject({ pops: [{ code: "SEA1" }], verdict: { ok: true }, steps: expect.arrayContaining([expect.objectContaining({ to: "drained", prependCount: 2 })]) });
    expect((await ask("kind=explode&popCodes=SEA1")).status).toBe(400);
    expect(await ask("kind=drain&popCodes=ZZZ9")).toMatchObject({ status: 404, body: { error: { message: expect.stringContaining("ZZZ9") } } });
  });
});

test.describe("withdrawing a PoP that announces an RPKI-invalid prefix", () => {
  // The demo's CDN prefix has a ROA naming a stale origin ASN: it is RPKI Invalid (ASN).
  const CDN = "198.51.100.0/24";

  test("the preview warns that its restore will be refused; the refused restore offers the ways out, and an admin's override undoes the rest", async ({ as, browser }) => {
    const page = await as("operator");
    await page.goto("/pops/SCL1");
    await page.getByRole("button", { name: "Withdraw…" }).click();
    const withdraw = page.getByRole("dialog", { name: /Withdraw SCL1/ });
    const verdict = withdraw.getByRole("group", { name: "Safety verdict" });
    await expect(verdict).toContainText("Safety checks pass.");
    await expect(verdict).toContainText(`${CDN} is RPKI Invalid (ASN): restoring it afterwards will be refused`);
    await expect(verdict).not.toContainText("RPKI is not at stake");
    await withdraw.getByLabel("Reason").fill("Fibre cut, e2e test");
    await withdraw.getByLabel("Type SCL1 to confirm the withdraw").fill("SCL1");
    await withdraw.getByRole("button", { name: "withdraw SCL1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");

    await page.goto("/pops/SCL1");
    await page.getByRole("button", { name: "Restore…" }).click();
    const restore = page.getByRole("dialog", { name: /Restore SCL1/ });
    await expect(restore.getByRole("group", { name: "Safety verdict" })).toContainText(`Refused: ${CDN} is RPKI Invalid (ASN)`);
    await expect(restore.getByRole("button", { name: "Refused by a safety check" })).toBeDisabled();
    const waysOut = restore.getByRole("group", { name: "Ways out" });
    await expect(waysOut).toContainText("ask an admin to override the check with a written reason");
    await waysOut.getByRole("button", { name: "Restore the other prefixes only (192.0.2.0/24, 2001:db8:53::/48)" }).click();
    await expect(restore.getByRole("heading", { name: "Restore SCL1 (192.0.2.0/24, 2001:db8:53::/48)" })).toBeVisible();
    await expect(restore.getByRole("group", { name: "Safety verdict" })).toContainText("Safety checks pass.");
    await restore.getByLabel("Reason").fill("Fibre repaired");
    await restore.getByRole("button", { name: "restore SCL1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
    await expect(page.getByRole("list", { name: "Operation timeline" }).getByText(/^SCL1 \S+: acknowledged$/)).toHaveCount(2);

    // An admin restores the invalid prefix too, with a written override: the fleet is as it was.
    const context = await browser.newContext();
    const admin = await context.newPage();
    await signInThroughApi(admin.request, "admin");
    await admin.goto("/pops/SCL1");
    await admin.getByRole("button", { name: "Restore…" }).click();
    const override = admin.getByRole("dialog", { name: /Restore SCL1/ });
    await expect(override.getByRole("group", { name: "Ways out" })).toContainText("As an admin you may override the check below");
    await override.getByRole("textbox", { name: "Reason", exact: true }).fill("Restore after the fibre cut");
    await override.getByLabel(/Override reason/).fill("CDN ROA fix is under way, CHG-14");
    await override.getByRole("button", { name: "Override and restore SCL1" }).click();
    await expect(admin.getByRole("heading", { level: 1 })).toContainText("succeeded");
    await context.close();
  });

  test("the API's refusal of the restore names the ways out too", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/pops/SCL1");
    const prefixes = page.getByRole("combobox", { name: "Prefixes" });
    const cdnId = await prefixes.locator("option", { hasText: CDN }).getAttribute("value");
    // Withdraw the CDN prefix alone from the dialog, then ask the API to restore it.
    await prefixes.selectOption(cdnId!);
    await page.getByRole("button", { name: "Withdraw…" }).click();
    const withdraw = page.getByRole("dialog", { name: /Withdraw SCL1/ });
    await withdraw.getByLabel("Reason").fill("CDN prefix only, e2e test");
    await withdraw.getByLabel("Type SCL1 to confirm the withdraw").fill("SCL1");
    await withdraw.getByRole("button", { name: "withdraw SCL1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");

    const origin = new URL(page.url()).origin;
    const refused = await page.request.post("/api/v1/operations", {
      headers: { origin, "content-type": "application/json" },
      data: { kind: "restore", popCodes: "SCL1", prefixId: cdnId, reason: "API restore" },
    });
    expect(refused.status()).toBe(422);
    const body = await refused.text();
    expect(body).toContain(`${CDN} is RPKI Invalid (ASN)`);
    expect(body).toContain("Ways out: ask an admin to override with a written reason, or fix the ROA.");

    const admin = await page.context().browser()!.newContext();
    await signInThroughApi(admin.request, "admin");
    const restored = await admin.request.post("/api/v1/operations", {
      headers: { origin, "content-type": "application/json" },
      data: { kind: "restore", popCodes: "SCL1", prefixId: cdnId, reason: "API restore", overrideReason: "ROA fix under way, e2e" },
    });
    expect(restored.status()).toBe(200);
    expect(await restored.json()).toMatchObject({ status: "succeeded", overridden: true });
    await admin.close();
  });
});

test.describe("draining several PoPs at once from the PoP list", () => {
  test("select a whole region, or PoPs one by one; drain two with one preview and one confirm, then restore them", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/pops");
    const bar = page.getByRole("group", { name: "Operate on several PoPs" });
    await bar.getByLabel("Select a region").selectOption({ label: "Oceania (2)" });
    await expect(page.getByRole("checkbox", { name: "Select AKL1" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Select SYD1" })).toBeChecked();
    await expect(bar).toContainText("2 selected: AKL1, SYD1");
    await bar.getByRole("button", { name: "Clear" }).click();
    await expect(page.getByRole("checkbox", { name: "Select AKL1" })).not.toBeChecked();

    await page.getByRole("checkbox", { name: "Select SCL1" }).check();
    await page.getByRole("checkbox", { name: "Select SEA1" }).check();
    await bar.getByRole("button", { name: "Drain SCL1, SEA1…" }).click();
    const dialog = page.getByRole("dialog", { name: /Drain SCL1, SEA1/ });
    await expect(dialog.getByRole("group", { name: "Safety verdict" })).toContainText("Safety checks pass.");
    await expect(dialog.getByText(/Changes 6 announcements/)).toBeVisible();
    await dialog.getByLabel("Reason").fill("Two PoPs at once, e2e test");
    await dialog.getByRole("button", { name: "drain SCL1, SEA1" }).click();

    await expect(page).toHaveURL(/\/operations\/\w+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("SCL1, SEA1");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
    await expect(page.getByRole("list", { name: "Operation timeline" }).getByText(/: acknowledged$/)).toHaveCount(6);

    await page.goto("/pops");
    await page.getByRole("checkbox", { name: "Select SCL1" }).check();
    await page.getByRole("checkbox", { name: "Select SEA1" }).check();
    await page.getByRole("group", { name: "Operate on several PoPs" }).getByRole("button", { name: "Restore SCL1, SEA1…" }).click();
    const restore = page.getByRole("dialog", { name: /Restore SCL1, SEA1/ });
    await expect(restore.getByRole("group", { name: "Safety verdict" })).toContainText("Safety checks pass.");
    await restore.getByLabel("Reason").fill("Maintenance done");
    await restore.getByRole("button", { name: "restore SCL1, SEA1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");

    await page.goto("/operations");
    const newest = page.locator("tbody tr").first();
    await expect(newest).toContainText("2 PoPs: SCL1, SEA1");
  });

  test("a refused operation across several PoPs names them in the list and on its page", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/operations");
    // Draining every PoP breaches every floor; the refusal is recorded and nothing is sent.
    const origin = new URL(page.url()).origin;
    const response = await page.request.post("/api/v1/operations", {
      headers: { origin, "content-type": "application/json" },
      data: { kind: "drain", popCodes: "AMS1,FRA1,LHR1,CDG1,IAD1,ORD1,DFW1,SEA1,LAX1,SIN1,NRT1,HKG1,SYD1,AKL1,GRU1,SCL1,JNB1,LOS1,DXB1,BOM1", reason: "every PoP, e2e" },
    });
    expect(response.status()).toBe(422);
    await page.goto("/operations");
    const newest = page.locator("tbody tr").first();
    await expect(newest).toContainText("refused");
    await expect(newest).toContainText("20 PoPs");
    await newest.getByRole("link", { name: /drain/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("AKL1, AMS1, BOM1");
    await expect(page.getByRole("list", { name: "Operation timeline" })).toContainText("Would have changed 60 announcements");
  });
});

test.describe("operate dialogs on a 390 px phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  const pageWidth = (page: import("@playwright/test").Page) => page.evaluate(() => document.documentElement.scrollWidth);

  test("the PoP list with its selection, and the drain, withdraw and restore dialogs, fit the screen; Cancel can be tapped", async ({ as }) => {
    const page = await as("operator");
    await page.goto("/pops");
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.getByRole("checkbox", { name: "Select SCL1" }).check();
    await page.getByRole("checkbox", { name: "Select SEA1" }).check();
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    for (const [where, open, name] of [
      ["/pops", "Drain SCL1, SEA1…", /Drain SCL1, SEA1/],
      ["/pops/SEA1", "Drain…", /Drain SEA1/],
      ["/pops/SEA1", "Withdraw…", /Withdraw SEA1/],
      ["/pops/SEA1", "Restore…", /Restore SEA1/],
    ] as const) {
      if (where !== "/pops") await page.goto(where);
      await page.getByRole("button", { name: open }).click();
      const dialog = page.getByRole("dialog", { name });
      await expect(dialog.getByRole("group", { name: "Safety verdict" })).toBeVisible();
      // The dialog is no wider than the screen and nothing in it scrolls sideways.
      const box = (await dialog.boundingBox())!;
      expect(box.width).toBeLessThanOrEqual(390);
      expect(await dialog.locator("form").evaluate((form) => form.scrollWidth - form.clientWidth)).toBe(0);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await dialog.getByRole("button", { name: "Cancel" }).tap();
      await expect(dialog).toBeHidden();
    }
  });
});
