import { expect, test } from "./support/fixtures";

test.describe("the console's shell", () => {
  test("serves a favicon that every page links", async ({ page, request }) => {
    const icon = await request.get("/favicon.ico");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/");
    await page.goto("/signin");
    const hrefs = await page.locator("link[rel='icon']").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
    expect(hrefs).toEqual(expect.arrayContaining(["/favicon.ico", "/icon.svg"]));
  });
});

test.describe("times are in UTC in a browser elsewhere", () => {
  // Kathmandu is UTC+05:45: an hourly point shown in local time would end in :45.
  test.use({ timezoneId: "Asia/Kathmandu", locale: "de-DE" });

  test("the catchment charts' hours and the lookup's answers are UTC", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/catchment");
    const share = page.getByRole("figure", { name: "Catchment share per PoP over time" });
    const ticks = share.locator(".recharts-xAxis-tick-labels text");
    await expect(ticks).not.toHaveCount(0);
    const hours = await ticks.allTextContents();
    for (const hour of hours) expect(hour, `axis ticks ${hours.join(" ")}`).toMatch(/^\d{2}:00$/);

    await page.goto("/lookup?q=sim-1001");
    const answers = page.getByRole("table", { name: "Answers of the last 24 hours" });
    await expect(answers.getByRole("columnheader", { name: "Measured (UTC)" })).toBeVisible();
    const latest = await answers.locator("tbody tr").first().locator("td").nth(4).textContent();
    expect(latest).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });
});
