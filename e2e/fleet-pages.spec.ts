import { expect, test } from "./support/fixtures";

test.describe("fleet pages show the seeded demo fleet", () => {
  test("the overview shows PoPs by state, prefixes, RPKI problems, shares and traffic", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/");
    const grid = page.getByRole("list", { name: "PoPs by state" });
    await expect(grid.getByRole("link", { name: /^AMS1/ })).toBeVisible();
    expect(await grid.getByRole("listitem").count()).toBeGreaterThanOrEqual(18);
    // The demo fleet has exactly one deliberately wrong ROA.
    await expect(page.getByRole("group", { name: "RPKI problems" }).getByTestId("stat-value")).toHaveText("1");
    await expect(page.getByRole("list", { name: "Catchment share by PoP" }).getByRole("listitem").first()).toContainText("%");
    await expect(page.getByRole("figure", { name: /Fleet traffic/ }).locator("svg.recharts-surface")).toBeVisible();
    await expect(page.getByRole("link", { name: "192.0.2.0/24" })).toBeVisible();
  });

  test("the PoP list filters by region and sorts by a column", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/pops?region=oceania");
    const rows = page.locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.allInnerTexts()) expect(text).toContain("Oceania");
    await page.goto("/pops?sort=capacity&dir=desc");
    const column = (await page.locator("thead th").allInnerTexts()).findIndex((text) => /capacity/i.test(text)) + 1;
    expect(column).toBeGreaterThan(0);
    const capacities = (await page.locator(`tbody tr td:nth-child(${column})`).allInnerTexts()).map((text) => Number.parseInt(text, 10));
    expect(capacities.length).toBeGreaterThan(10);
    expect(capacities).toEqual([...capacities].sort((a, b) => b - a));
  });

  test("a PoP page shows location, upstreams, announcements and traffic", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/pops/AMS1");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("AMS1");
    await expect(page.getByText(/Amsterdam, NL/)).toBeVisible();
    const upstreams = page.getByRole("region", { name: "Upstreams and BGP sessions" });
    expect(await upstreams.locator("tbody tr").count()).toBeGreaterThanOrEqual(2);
    const announcements = page.getByRole("region", { name: "Announcements" });
    await expect(announcements.getByRole("link", { name: "192.0.2.0/24" })).toBeVisible();
    await expect(announcements.getByRole("link", { name: "2001:db8:53::/48" })).toBeVisible();
    await expect(page.getByRole("figure", { name: /AMS1 traffic/ }).locator("svg.recharts-surface")).toBeVisible();
  });

  test("a prefix page shows where it is announced and the ROAs covering it", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/prefixes");
    await page.getByRole("link", { name: "192.0.2.0/24" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("RPKI Valid");
    await expect(page.getByRole("region", { name: "ROA coverage (RFC 6811)" })).toContainText("matches");
    await expect(page.getByRole("region", { name: "Where it is announced" }).getByRole("link", { name: "AMS1" })).toBeVisible();
  });

  test("a prefix or ROA id that names no row is a 404, even one past the database's integers", async ({ as }) => {
    const page = await as("admin");
    for (const path of ["/prefixes/99999", "/prefixes/99999999999", "/prefixes/99999999999/edit", "/rpki/99999999999/edit", "/prefixes/1e3"]) {
      expect((await page.goto(path))?.status(), path).toBe(404);
    }
  });
});

test.describe("the traffic API behind the live charts", () => {
  test("needs a session, names an unknown PoP, and serves 5-minute points against capacity", async ({ playwright, as }) => {
    const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    const refused = await anonymous.get("/api/v1/traffic");
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.code).toBe("unauthenticated");
    await anonymous.dispose();

    const page = await as("viewer");
    const unknown = await page.request.get("/api/v1/traffic?pop=NOPE1");
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error.message).toBe("There is no PoP NOPE1.");
    const { points } = await (await page.request.get("/api/v1/traffic?pop=AMS1&hours=2")).json();
    expect(points.length).toBeGreaterThanOrEqual(20);
    expect(points[0]).toMatchObject({ capacityBps: expect.any(Number), bps: expect.any(Number) });
    expect(points.every((p: { bps: number; capacityBps: number }) => p.bps > 0 && p.bps < p.capacityBps)).toBe(true);
  });
});
