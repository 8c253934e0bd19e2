import { expect, signInThroughForm, test, demoUser } from "./support/fixtures";

test.describe("sign-in", () => {
  test("a visitor without a session is sent to the sign-in page", async ({ page }) => {
    await page.goto("/pops");
    await expect(page).toHaveURL(/\/signin\?next=%2Fpops/);
    await expect(page.getByRole("heading", { name: /Catchment/ })).toBeVisible();
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
});
