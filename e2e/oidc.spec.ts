// Single sign-on against a real OpenID Connect provider: the button, the round trip through
// the provider's login page, the role from the group claim, the audit entry, and a clear error
// when the provider is down. Its own console (SSO is configured at start), after the web server
// of this suite has built the app.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import pg from "pg";
import { startConsole, type ConsoleProcess } from "../test/support/console-process";
import { startOidcProvider, type RunningOidcProvider } from "../test/support/oidc-provider";
import { demoUser, expect, test } from "./support/fixtures";

test.describe.configure({ mode: "serial", timeout: 240_000 });

// The ports just after the suite's web server's (playwright.config.ts), so that moving the
// suite with E2E_PORT and friends moves these too.
const suite = {
  port: Number(process.env.E2E_PORT ?? 3100),
  pgPort: Number(process.env.E2E_PG_PORT ?? 25439),
  agentBasePort: Number(process.env.E2E_AGENT_BASE_PORT ?? 23300),
};
const CONSOLE = { port: suite.port + 1, pgPort: suite.pgPort + 1, agentBasePort: suite.agentBasePort + 100 };
const IDP_PORT = suite.port + 2;
const CLIENT = { clientId: "catchment-console", clientSecret: "test-client-secret-not-for-production" };
const consoleUrl = `http://localhost:${CONSOLE.port}`;

let idp: RunningOidcProvider;
let console_: ConsoleProcess | undefined;
let dataDir: string;

test.beforeAll(async () => {
  idp = await startOidcProvider({ port: IDP_PORT, ...CLIENT, redirectUri: `${consoleUrl}/api/auth/callback/oidc` });
  dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-oidc-"));
  console_ = await startConsole({
    ...CONSOLE,
    dataDir,
    env: {
      NEXTAUTH_URL: consoleUrl,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: CLIENT.clientId,
      OIDC_CLIENT_SECRET: CLIENT.clientSecret,
      OIDC_NAME: "Test SSO",
      OIDC_SCOPES: "openid profile email groups",
      OIDC_ADMIN_GROUPS: "noc-admins",
    },
  });
});

test.afterEach(async ({}, testInfo) => {
  if (console_ && testInfo.status !== testInfo.expectedStatus) await testInfo.attach("console output", { body: console_.output(), contentType: "text/plain" });
});

test.afterAll(async () => {
  await console_?.stop("SIGTERM");
  await idp?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** From the console's sign-in page through the provider's login form and back. */
async function signInWithSso(page: Page, login: string) {
  await page.goto(`${consoleUrl}/signin`);
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await expect(page).toHaveURL((url) => url.origin === idp.issuer && url.pathname.startsWith("/interaction/"));
  await page.getByLabel("User name").fill(login);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Fleet overview" })).toBeVisible();
  expect(page.url()).toBe(`${consoleUrl}/`);
}

test("an SSO user in an admin group signs in through the provider as an admin, and the sign-in is audited", async ({ page }) => {
  await page.goto(`${consoleUrl}/signin`);
  await expect(page.getByRole("button", { name: "Sign in with Test SSO" })).toBeVisible();

  await signInWithSso(page, "noc-admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toContainText("NOC Admin · admin");

  await page.goto(`${consoleUrl}/pops`);
  await expect(page.getByRole("link", { name: "Add PoP" })).toBeVisible();

  await page.goto(`${consoleUrl}/audit`);
  const signIn = page.getByRole("row").filter({ hasText: "sso:noc-admin" }).filter({ hasText: "auth.sign_in" });
  await expect(signIn).toHaveCount(1);
  await expect(signIn).toContainText("oidc");
});

test("an SSO user in no configured group gets the viewer role", async ({ page }) => {
  await signInWithSso(page, "noc-viewer");
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("NOC Viewer · viewer");
  await page.goto(`${consoleUrl}/pops`);
  await expect(page.getByRole("heading", { name: "PoPs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add PoP" })).toHaveCount(0);
});

test("a disabled SSO user gets no session and a clear message; the refusal is audited", async ({ page }) => {
  // The console's own database role, as `npm start` leaves its URL in the data folder.
  const database = new pg.Client({ connectionString: readFileSync(path.join(dataDir, "database-url"), "utf8").trim() });
  await database.connect();
  try {
    await database.query(`UPDATE app_user SET disabled = true WHERE username = 'sso:noc-viewer'`);
    await page.goto(`${consoleUrl}/signin`);
    await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
    await expect(page).toHaveURL((url) => url.origin === idp.issuer && url.pathname.startsWith("/interaction/"));
    await page.getByLabel("User name").fill("noc-viewer");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/signin\?(.*&)?error=AccessDenied/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("This account is disabled. Ask an admin.");
    const { rows } = await database.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'auth.sign_in_failed' AND actor_name = 'sso:noc-viewer'`);
    expect(rows[0].n).toBe(1);
  } finally {
    await database.query(`UPDATE app_user SET disabled = false WHERE username = 'sso:noc-viewer'`);
    await database.end();
  }
});

test("with the provider down, SSO gives a clear error on the sign-in page and passwords still work", async ({ page }) => {
  await idp.stop();
  await page.goto(`${consoleUrl}/signin`);
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  // next-auth cannot reach the discovery document and sends the browser back to the sign-in page.
  await expect(page).toHaveURL(/\/signin\?(.*&)?error=OAuthSignin(&|$)/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Single sign-on failed. Try again or use a password.");

  const viewer = demoUser("viewer");
  await page.getByLabel("User name").fill(viewer.username);
  await page.getByLabel("Password").fill(viewer.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Fleet overview" })).toBeVisible();
});
