import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { expectNoHorizontalScroll, PHONE } from "./support/phone";

// On-call happens on a phone. Every page and every operate dialog must fit 390 px wide: no
// horizontal page scroll, and a dialog's buttons inside the screen where a thumb can reach them.
test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

async function expectInsideScreen(locator: Locator, what: string) {
  const box = await locator.boundingBox();
  expect(box, `${what} is not laid out`).not.toBeNull();
  expect(box!.x, `${what} starts left of the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends right of the screen`).toBeLessThanOrEqual(PHONE.width);
}

/** The id of the first row's link under a list page, e.g. /operations -> /operations/abc. */
async function firstDetailPath(page: Page, listPath: string, pattern: RegExp): Promise<string> {
  await page.goto(listPath);
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
  const href = hrefs.find((candidate) => pattern.test(candidate));
  expect(href, `no link matching ${pattern} on ${listPath}`).toBeTruthy();
  return href!;
}

/**
 * An operation to show, changing nothing: a withdraw of every PoP, which the safety floor refuses
 * (it is recorded, and nothing is sent to any agent). Sent from the page, as the console's own
 * scripts send it.
 */
async function refusedOperationPath(page: Page): Promise<string> {
  await page.goto("/pops");
  const codes = await page.locator("tbody a[href^='/pops/']").allInnerTexts();
  expect(codes.length).toBeGreaterThan(2);
  const answer = await page.evaluate(async (popCodes) => {
    const response = await fetch("/api/v1/operations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "withdraw", popCodes, confirmCode: popCodes.join(", "), reason: "phone layout check: refused by the floor" }),
    });
    return { status: response.status, body: await response.json() };
  }, codes);
  expect(answer.status, JSON.stringify(answer.body)).toBe(422);
  return firstDetailPath(page, "/operations", /^\/operations\/[^/]+$/);
}

test.describe("every page fits a phone", () => {
  test("signed out: the sign-in page", async ({ page }) => {
    await page.goto("/signin");
    await expect(page.getByLabel("User name")).toBeVisible();
    await expectNoHorizontalScroll(page, "/signin");
  });

  test("signed in as an admin: every console page", async ({ as }) => {
    test.setTimeout(180_000);
    const page = await as("admin");
    const paths = [
      "/",
      "/pops",
      "/pops/AMS1",
      "/pops/AMS1/edit",
      "/pops/new",
      "/prefixes",
      "/prefixes/new",
      "/rpki",
      // The ROA edit page is this same form, for manual ROAs (the demo fleet's are imported).
      "/rpki/new",
      "/operations",
      "/catchment",
      "/placement",
      "/placement/scenarios/new",
      "/lookup",
      "/map",
      "/audit",
      "/tokens",
    ];
    const prefix = await firstDetailPath(page, "/prefixes", /^\/prefixes\/\d+$/);
    paths.push(prefix, `${prefix}/edit`);
    paths.push(await refusedOperationPath(page));
    for (const path of paths) {
      const response = await page.goto(path);
      expect.soft(response?.status(), `${path} answered ${response?.status()}`).toBe(200);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await page.waitForLoadState("networkidle");
      await expectNoHorizontalScroll(page, path);
    }
  });

  test("a probe's lookup fits, with its answers", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/lookup");
    const probe = page.getByLabel("Probe id or address");
    await probe.fill("sim-1001");
    await probe.press("Enter");
    await expect(page.getByRole("table", { name: "Answers of the last 24 hours" })).toBeVisible();
    await expectNoHorizontalScroll(page, "/lookup?q=sim-1001");
  });
});

test("on the PoP list, each PoP's state and load are on screen", async ({ as }) => {
  const page = await as("operator");
  await page.goto("/pops");
  const header = page.locator("thead th");
  await expectInsideScreen(header.filter({ hasText: "Announcing" }), "the Announcing column");
  await expectInsideScreen(header.filter({ hasText: "Load" }), "the Load column");
  await expectNoHorizontalScroll(page, "/pops");
});

test.describe("the operate dialogs fit a phone", () => {
  for (const action of ["Drain", "Withdraw", "Restore"] as const) {
    test(`the ${action.toLowerCase()} dialog opens inside the screen, and Cancel can be tapped`, async ({ as }) => {
      const page = await as("operator");
      await page.goto("/pops/AMS1");
      await expectNoHorizontalScroll(page, "/pops/AMS1");
      await page.getByRole("button", { name: `${action}…` }).tap();
      const dialog = page.getByRole("dialog", { name: new RegExp(`${action} AMS1`) });
      await expect(dialog).toBeVisible();
      await expect(dialog.getByRole("group", { name: "Safety verdict" })).toBeVisible();
      await expectInsideScreen(dialog, `the ${action} dialog`);
      await expectNoHorizontalScroll(page, `/pops/AMS1 with the ${action} dialog`);
      const cancel = dialog.getByRole("button", { name: "Cancel" });
      await cancel.scrollIntoViewIfNeeded();
      await expectInsideScreen(cancel, "Cancel");
      await cancel.tap();
      await expect(dialog).toBeHidden();
    });
  }
});
