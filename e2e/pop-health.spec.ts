import { readFileSync } from "node:fs";
import path from "node:path";
import { signRequest } from "@/lib/agent-protocol/signing";
import { expect, test } from "./support/fixtures";

// What a PoP agent reports (signed with that PoP's secret, as the demo fleet's agents hold it)
// shows on the PoP page: each check's state, since and detail, recent events, maintenance.

function demoSecret(code: string): string {
  const fleet = JSON.parse(readFileSync(path.resolve(".data/e2e/agents/fleet.json"), "utf8")) as { agents: Array<{ pop: string; secret?: string }> };
  const secret = fleet.agents.find((agent) => agent.pop === code)?.secret;
  if (!secret) throw new Error(`no demo agent secret for ${code}`);
  return secret;
}

test("a health report from a PoP's agent shows on its page; a wrongly signed one is refused", async ({ as, baseURL }) => {
  const code = "NRT1";
  const now = Date.now();
  const report = {
    sentAt: new Date(now).toISOString(),
    maintenance: { enabled: true, reason: "CHG-9 optics swap", since: new Date(now - 60_000).toISOString() },
    checks: [
      { name: "dns-chaos", kind: "dns", service: "dns", target: "127.0.0.1:53", intervalMs: 1000, timeoutMs: 500, rise: 2, fall: 2, state: "down", since: new Date(now - 2000).toISOString(), checkedAt: new Date(now).toISOString(), detail: "no DNS answer from 127.0.0.1:53 within 500 ms" },
      { name: "web", kind: "http", service: "cdn", target: "http://127.0.0.1:8080/health", intervalMs: 10_000, timeoutMs: 2000, rise: 2, fall: 2, state: "up", since: new Date(now - 600_000).toISOString(), checkedAt: new Date(now).toISOString(), detail: "HTTP 200 in 3 ms" },
    ],
    events: [
      { check: "dns-chaos", from: "up", to: "falling", at: new Date(now - 3000).toISOString(), detail: "no DNS answer from 127.0.0.1:53 within 500 ms" },
      { check: "dns-chaos", from: "falling", to: "down", at: new Date(now - 2000).toISOString(), detail: "no DNS answer from 127.0.0.1:53 within 500 ms" },
    ],
    announcements: [],
  };
  const send = (secret: string) => {
    const body = JSON.stringify(report);
    const pathname = `/api/v1/agents/${code}/health`;
    return fetch(`${baseURL}${pathname}`, { method: "POST", body, headers: { "content-type": "application/json", authorization: signRequest({ secret, method: "POST", path: pathname, body }) } });
  };
  expect((await send("a-wrong-secret-0123456789")).status).toBe(401);
  expect((await send(demoSecret(code))).status).toBe(200);

  const page = await as("viewer");
  await page.goto(`/pops/${code}`);
  const health = page.getByRole("region", { name: "Health checks" });
  await expect(health.locator("tbody tr")).toHaveCount(2);
  await expect(health.getByRole("row", { name: /dns-chaos/ })).toContainText("down");
  await expect(health.getByRole("row", { name: /dns-chaos/ })).toContainText("within 500 ms");
  await expect(health.getByRole("row", { name: /web/ })).toContainText("up");
  await expect(health.getByRole("list", { name: "Recent health events" }).locator("li")).toHaveCount(2);
  await expect(page.getByText("Maintenance mode")).toBeVisible();
  await expect(page.getByText("CHG-9 optics swap").first()).toBeVisible();
});
