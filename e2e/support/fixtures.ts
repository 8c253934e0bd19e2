import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { DEMO_USERS } from "../../lib/demo/users";

export type RoleName = "admin" | "operator" | "viewer";

export function demoUser(role: RoleName) {
  const user = DEMO_USERS.find((candidate) => candidate.role === role);
  if (!user) throw new Error(`no demo user with role ${role}`);
  return user;
}

/** Signs in through next-auth's credentials endpoint, as a script would: fast, no form. */
export async function signInThroughApi(request: APIRequestContext, role: RoleName) {
  const user = demoUser(role);
  const csrf = await (await request.get("/api/auth/csrf")).json();
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: csrf.csrfToken, username: user.username, password: user.password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const cookies = await request.storageState();
  expect(cookies.cookies.some((cookie) => cookie.name.endsWith("next-auth.session-token"))).toBe(true);
}

export async function signInThroughForm(page: Page, role: RoleName) {
  const user = demoUser(role);
  await page.goto("/signin");
  await page.getByLabel("User name").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Fleet overview" })).toBeVisible();
}

/** A page signed in as the given role. */
export const test = base.extend<{ as: (role: RoleName) => Promise<Page> }>({
  as: async ({ page }, provide) => {
    await provide(async (role) => {
      await signInThroughApi(page.request, role);
      return page;
    });
  },
});

export { expect };

/** A PoP code no other test (or earlier run) uses: three letters and a number. */
export function uniquePopCode(): string {
  const letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
  const pick = () => letters[Math.floor(Math.random() * letters.length)];
  return `Z${pick()}${pick()}${Math.floor(Math.random() * 90) + 10}`;
}
