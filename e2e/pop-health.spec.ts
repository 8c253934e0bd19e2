import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { signRequest } from "@/lib/agent-protocol/signing";
import { expect, test, uniquePopCode } from "./support/fixtures";
import { createPopThroughForm } from "./support/pop-form";

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

test("a PoP's page flags a prefix its agent does not report; while the agent is unreachable its sessions show stale with the last report's time, not 'up'", async ({ as }) => {
  // A stand-in agent (on a port the system picks, so it collides with nothing) that answers the console's status polls
  // with one established session, then goes away as a dead PoP would.
  const since = new Date(Date.now() - 3_600_000).toISOString();
  const status = {
    pop: "",
    agentVersion: "e2e",
    speaker: { driver: "sim", up: true, error: null },
    sessions: [{ name: "Telia", peerAsn: 1299, peerAddress: "192.0.2.98", state: "established", since, prefixesSent: 1, prefixesReceived: 900_000 }],
    announcements: [],
    health: [],
    maintenance: false,
  };
  const agent = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ ...status, clock: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => agent.listen(0, "127.0.0.1", resolve));
  const agentPort = (agent.address() as AddressInfo).port;
  const stopAgent = () =>
    new Promise<void>((resolve) => {
      agent.closeAllConnections();
      agent.close(() => resolve());
    });

  const page = await as("admin");
  const code = uniquePopCode();
  status.pop = code;
  try {
    await createPopThroughForm(page, {
      code,
      agentUrl: `http://127.0.0.1:${agentPort}`,
      agentSecret: "stand-in-agent-secret-0123456789abcdef",
      upstream: { name: "Telia", peerAsn: "AS1299", peerAddress: "192.0.2.98" },
    });
    const upstreams = page.getByRole("region", { name: "Upstreams and BGP sessions" });
    const stat = page.getByRole("group", { name: "Upstreams up" });
    await expect(async () => {
      await page.reload();
      await expect(stat.getByTestId("stat-value")).toHaveText("1/1", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(upstreams.getByRole("row", { name: /Telia/ })).toContainText("Established");

    // A prefix assigned here that the agent's config lacks: its reports never name it.
    const announcements = page.getByRole("region", { name: "Announcements" });
    await announcements.getByRole("button", { name: "Assign" }).click();
    await expect(announcements.getByRole("form", { name: "Assign a prefix" }).getByRole("status")).toContainText("withdrawn");
    await expect(async () => {
      await page.reload();
      await expect(announcements.getByText("The agent does not report it: add it to the agent's config file.")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });

    await stopAgent();
    await expect(async () => {
      await page.reload();
      await expect(stat.getByTestId("stat-value")).toHaveText("stale", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(stat).toContainText(/last report \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await expect(upstreams.getByRole("note")).toHaveText(/^Agent (stale|unreachable): sessions as of its last report \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(1\/1 up then\)\.$/);
    const row = upstreams.getByRole("row", { name: /Telia/ });
    await expect(row).toContainText("was established at the last report");
    await expect(row).not.toContainText("Established");

    // It never announced anything: delete it, so the fleet the other tests see is unchanged.
    await page.goto(`/pops/${code}/edit`);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("region", { name: "Delete PoP" }).getByRole("button", { name: "Delete PoP" }).click();
    await expect(page).toHaveURL(/\/pops$/);
  } finally {
    if (agent.listening) await stopAgent();
  }
});
