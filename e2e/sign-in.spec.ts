import { expect, signInThroughApi, signInThroughForm, test, demoUser, type RoleName } from "./support/fixtures";
import type { Page } from "@playwright/test";

async function fillSignIn(page: Page, role: RoleName) {
  await page.getByLabel("User name").fill(demoUser(role).username);
  await page.getByLabel("Password").fill(demoUser(role).password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test.describe("sign-in", () => {
  test("a visitor without a session is sent to the sign-in page", async ({ page }) => {
    await page.goto("/pops");
    await expect(page).toHaveURL(/\/signin\?next=%2Fpops/);
    await expect(page.getByRole("heading", { name: /Catchment/ })).toBeVisible();
  });

  test("the sign-in page names its icons and web manifest, which load without a session (to pin the console on a phone)", async ({ page, request }) => {
    await page.goto("/signin");
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
    const manifest = await request.get("/manifest.webmanifest", { maxRedirects: 0 });
    expect(manifest.status()).toBe(200);
    expect(await manifest.json()).toMatchObject({ name: "Catchment", start_url: "/", display: "standalone", icons: [expect.objectContaining({ src: "/icon.svg" }), expect.anything()] });
    for (const icon of ["/icon.svg", "/favicon.ico"]) {
      const response = await request.get(icon, { maxRedirects: 0 });
      expect(response.status(), icon).toBe(200);
      expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    }
  });

  for (const role of ["admin", "operator", "viewer"] as const) {
    test(`${role} signs in through the form and sees the overview with their role`, async ({ page }) => {
      await signInThroughForm(page, role);
      await expect(page.getByRole("navigation", { name: "Main" })).toContainText(`· ${role}`);
    });
  }

  test("a wrong password gets a clear error and no session", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("User name").fill(demoUser("viewer").username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong user name or password.");
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("signing out ends the session on the server", async ({ page }) => {
    await signInThroughForm(page, "viewer");
    const cookies = await page.context().cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    // Replaying the old cookie must not work: the session row is revoked.
    await page.context().addCookies(cookies);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a sign-in link whose next leads off-site (next=/\\evil.example) lands on the console", async ({ page, baseURL }) => {
    await page.goto(`/signin?next=${encodeURIComponent("/\\evil.example")}`);
    await fillSignIn(page, "viewer");
    await expect(page.getByRole("heading", { name: "Fleet overview" })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });

  test("/login is the sign-in page's old name: it leads there, and on to the console once signed in", async ({ page }) => {
    await page.goto("/login");
    await expect(page).toHaveURL(/\/signin\?next=%2Flogin$/);
    await fillSignIn(page, "viewer");
    await expect(page.getByRole("heading", { name: "Fleet overview" })).toBeVisible();
    await page.goto(`/login?next=${encodeURIComponent("/pops")}`);
    await expect(page).toHaveURL(/\/pops$/);
    await page.goto(`/login?next=${encodeURIComponent("//evil.example")}`);
    await expect(page.getByRole("heading", { name: "Fleet overview" })).toBeVisible();
  });

  test("the audit log records the connection's address, not an X-Forwarded-For the client wrote", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.77" } });
    try {
      await signInThroughApi(request, "viewer");
      const csv = await (await request.get("/api/v1/audit?user=viewer&action=auth.sign_in")).text();
      const latest = csv.split("\r\n")[1] ?? "";
      const [, actor, action, , , , ip] = latest.split(",");
      expect([actor, action]).toEqual(["viewer", "auth.sign_in"]);
      expect(["127.0.0.1", "::1"]).toContain(ip);
    } finally {
      await request.dispose();
    }
  });
});
