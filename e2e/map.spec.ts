import type { Page } from "@playwright/test";
import { popColor } from "../lib/domain/pop-palette";
import { expect, test } from "./support/fixtures";

type CatchmentBody = {
  probes: { id: number[]; ext: string[]; lat: number[]; lon: number[]; pop: (number | null)[] };
  pops: { id: number; code: string; share: number; state: string }[];
  misrouted: { probe: number; pop: number }[];
  simulatedProbes: number;
};

const PREFIX = "192.0.2.0/24";

/** Opens the map and waits until MapLibre has drawn probes (the mark the map sets on that frame). */
async function openMap(page: Page, query = `?prefix=${encodeURIComponent(PREFIX)}`) {
  await page.goto(`/map${query}`);
  // Generous: WebGL runs in software (SwiftShader) here, on a shared machine.
  await page.waitForFunction(() => performance.getEntriesByName("catchment-map:probes-rendered").length > 0, undefined, { timeout: 90_000 });
}

/** What MapLibre drew in a layer: the features queryRenderedFeatures finds on the canvas. */
function renderedFeatures(page: Page, layer: string) {
  return page.evaluate((layerId) => {
    const map = window.__catchmentMap!;
    return map.queryRenderedFeatures({ layers: [layerId] }).map((feature) => ({
      i: Number(feature.properties.i),
      pop: Number(feature.properties.pop),
      color: String(feature.properties.color),
    }));
  }, layer);
}

async function catchment(page: Page, query = `prefix=${encodeURIComponent(PREFIX)}`): Promise<CatchmentBody> {
  const response = await page.request.get(`/api/v1/catchment?${query}`);
  expect(response.status()).toBe(200);
  return response.json();
}

async function shareOnMap(page: Page, code: string): Promise<number> {
  const text = await page.getByRole("list", { name: "PoP legend" }).getByRole("button", { name: new RegExp(`^${code}\\b`) }).innerText();
  return Number.parseFloat(text.match(/([\d.]+) %/)![1]!) / 100;
}

test.describe("the catchment map", () => {
  test.describe.configure({ timeout: 180_000 });

  test("renders the demo fleet's probes, coloured by PoP, over an offline basemap", async ({ as }, testInfo) => {
    const page = await as("viewer");
    const external: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.hostname !== "localhost" && url.protocol !== "data:" && url.protocol !== "blob:") external.push(request.url());
    });
    await openMap(page);
    const api = await catchment(page);
    expect(api.probes.id.length).toBeGreaterThanOrEqual(2900);

    const probes = await renderedFeatures(page, "probes");
    const drawn = new Set(probes.map((feature) => feature.i));
    // The whole world is in view at the start: nearly every probe is drawn (a few in the far south are off screen).
    expect(drawn.size).toBeGreaterThan(api.probes.id.length * 0.9);
    // Each drawn probe has its PoP's colour, and its PoP is the one the API gives (but for the
    // few the probe simulator may have moved between the two reads).
    for (const feature of probes) expect(feature.color).toBe(popColor(feature.pop === -1 ? null : feature.pop));
    const agreeing = probes.filter((feature) => feature.pop === (api.probes.pop[feature.i] ?? -1)).length;
    expect(agreeing).toBeGreaterThan(probes.length * 0.95);
    // At least 15 PoPs' catchments are on the map, each in its own colour.
    expect(new Set(probes.map((feature) => feature.pop)).size).toBeGreaterThanOrEqual(15);
    const countries = await page.evaluate(() => window.__catchmentMap!.queryRenderedFeatures({ layers: ["land"] }).length);
    expect(countries).toBeGreaterThan(100);

    await expect(page.getByText("Simulated data")).toBeVisible();
    // Every PoP has a marker, in its state's colour.
    await expect(page.getByRole("button", { name: /^AMS1 Amsterdam: announced/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /^SYD1 Sydney: announced/ })).toBeVisible();
    expect(external).toEqual([]);

    await testInfo.attach("catchment-map", { body: await page.screenshot({ fullPage: false }), contentType: "image/png" });
  });

  test("clicking a PoP shows its share and highlights its catchment; hovering a probe names it", async ({ as }) => {
    const page = await as("viewer");
    await openMap(page);
    const api = await catchment(page);
    // Johannesburg: a marker no other PoP's label overlaps at the world view.
    const jnb = api.pops.find((pop) => pop.code === "JNB1")!;

    await page.getByRole("button", { name: /^JNB1 Johannesburg: / }).click();
    const selected = page.getByRole("group", { name: "Selected PoP" });
    await expect(selected).toContainText("JNB1");
    // The share is the live one; it may have moved by a probe or two since the API call above.
    const shown = Number.parseFloat((await page.getByTestId("selected-pop-share").innerText()).replace(" %", "")) / 100;
    expect(Math.abs(shown - jnb.share)).toBeLessThan(0.01);
    expect(shown).toBeGreaterThan(0);
    const opacity = await page.evaluate(() => JSON.stringify(window.__catchmentMap!.getPaintProperty("probes", "circle-opacity")));
    expect(opacity).toContain(String(jnb.id));

    // Hover one of Johannesburg's probes: find where MapLibre put it, move the mouse there.
    const index = api.probes.pop.findIndex((pop) => pop === jnb.id);
    const point = await page.evaluate(([lon, lat]) => window.__catchmentMap!.project([lon!, lat!]), [api.probes.lon[index]!, api.probes.lat[index]!]);
    const box = (await page.getByTestId("catchment-map").boundingBox())!;
    await page.mouse.move(box.x + point.x, box.y + point.y);
    const tooltip = page.getByRole("tooltip");
    await expect(tooltip).toContainText(/Probe sim-\d+/);
    await expect(tooltip).toContainText(/RTT [\d.]+ ms/);
    await expect(tooltip).toContainText(/AS\d+/);
    await expect(tooltip).toContainText(/PoP [A-Z]{3}\d/);

    await page.getByRole("button", { name: "Show all" }).click();
    await expect(selected).toBeHidden();
  });

  test("filters by service, goes back in time, and lists misrouted probes with their reasons", async ({ as }) => {
    const page = await as("viewer");
    await openMap(page);
    const table = page.getByRole("table", { name: "Misrouted probes" });
    await expect(table.locator("tbody tr").first()).toBeVisible();
    await expect(table.locator("tbody tr").first()).toContainText(/km away|fibre bound/);
    const misroutedLines = await page.evaluate(() => window.__catchmentMap!.queryRenderedFeatures({ layers: ["misrouted"] }).length);
    expect(misroutedLines).toBeGreaterThan(0);

    await page.getByLabel("Prefix or service").selectOption({ label: "dns" });
    await expect(page).toHaveURL(/\?service=dns$/);
    await expect(page.getByText(/\d+ probe answers/)).toContainText(/^[56]\d{3} probe answers/);

    await page.getByLabel(/^Time:/).fill("-12");
    await expect(page.getByText("History")).toBeVisible();
    await expect(page.getByText(/\d+ probe answers/)).toContainText(/^[56]\d{3} probe answers/);
  });

  test("the catchment API checks its caller and its query", async ({ playwright, as }) => {
    const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
    expect((await anonymous.get(`/api/v1/catchment?prefix=${encodeURIComponent(PREFIX)}`)).status()).toBe(401);
    await anonymous.dispose();

    const page = await as("viewer");
    const unknown = await page.request.get("/api/v1/catchment?prefix=203.0.113.0/24");
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error.message).toBe("There is no prefix 203.0.113.0/24.");
    expect((await page.request.get("/api/v1/catchment")).status()).toBe(400);
    expect((await page.request.get("/api/v1/catchment?prefix=1&service=dns")).status()).toBe(400);
    expect((await page.request.get("/api/v1/catchment?service=dns&at=yesterday")).status()).toBe(400);
    const past = await catchment(page, `service=dns&at=${new Date(Date.now() - 6 * 3600_000).toISOString()}`);
    expect(past.probes.id.length).toBeGreaterThan(5000);
  });

  // Needs the demo fleet's probe simulator (issue 4, item 6), which posts new measurements as
  // PoPs are drained; without it the catchment never moves after the seed.
  test("after a drain in the demo fleet, the drained PoP's share on the map falls within a minute", async ({ as }) => {
    test.setTimeout(300_000);
    const page = await as("operator");
    await openMap(page);
    const before = await shareOnMap(page, "SEA1");
    expect(before).toBeGreaterThan(0);

    await page.goto("/pops/SEA1");
    await page.getByRole("button", { name: "Drain…" }).click();
    const dialog = page.getByRole("dialog", { name: /Drain SEA1/ });
    await dialog.getByLabel("Reason").fill("Map e2e: the catchment should move");
    await dialog.getByRole("button", { name: "drain SEA1" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");

    try {
      await openMap(page);
      await expect(page.getByRole("button", { name: /^SEA1 Seattle: drained/ })).toBeVisible();
      // No reload from here on: the map's own polling must show the move.
      await expect.poll(() => shareOnMap(page, "SEA1"), { timeout: 60_000, intervals: [1000] }).toBeLessThan(before * 0.8);
    } finally {
      await page.goto("/pops/SEA1");
      await page.getByRole("button", { name: "Restore…" }).click();
      const restore = page.getByRole("dialog", { name: /Restore SEA1/ });
      await restore.getByLabel("Reason").fill("Map e2e done");
      await restore.getByRole("button", { name: "restore SEA1" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText("succeeded");
    }
  });
});
