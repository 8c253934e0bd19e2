import type { Page } from "@playwright/test";
import { MAP_COLORS } from "../components/map/map-colors";
import { PROBE_OPACITY } from "../components/map/probe-layer";
import { hexToRgb } from "../components/map/probe-points";
import { popColor } from "../lib/domain/pop-palette";
import { expect, test } from "./support/fixtures";

type CatchmentBody = {
  probes: { id: number[]; ext: string[]; lat: number[]; lon: number[]; pop: (number | null)[] };
  pops: { id: number; code: string; share: number; state: string }[];
  misrouted: { probe: number; pop: number }[];
  simulatedProbes: number;
};

const PREFIX = "192.0.2.0/24";

/** Opens the map and waits until probes are drawn (the mark the map sets on that frame). */
async function openMap(page: Page, query = `?prefix=${encodeURIComponent(PREFIX)}`) {
  await page.goto(`/map${query}`);
  // Generous: WebGL runs in software (SwiftShader) here, on a shared machine.
  await page.waitForFunction(() => performance.getEntriesByName("catchment-map:probes-rendered").length > 0, undefined, { timeout: 90_000 });
}

type Rgb = [number, number, number];
type ScreenProbe = { index: number; x: number; y: number };

/**
 * Probes with no other probe within `gap` CSS pixels on screen, where MapLibre puts them:
 * the pixel at their centre shows their own colour over the basemap, nothing else.
 */
function isolatedProbes(page: Page, api: CatchmentBody, gap = 8): Promise<ScreenProbe[]> {
  return page.evaluate(
    ([lon, lat, gap]) => {
      const map = window.__catchmentMap!;
      const { clientWidth: width, clientHeight: height } = map.getCanvas();
      const screen = lon.map((_, index) => ({ index, ...map.project([lon[index]!, lat[index]!]) }));
      // A grid of gap-sized cells: neighbours are in the same or an adjacent cell.
      const cells = new Map<string, typeof screen>();
      const cellOf = (x: number, y: number) => `${Math.floor(x / gap)},${Math.floor(y / gap)}`;
      for (const probe of screen) cells.set(cellOf(probe.x, probe.y), [...(cells.get(cellOf(probe.x, probe.y)) ?? []), probe]);
      return screen
        .filter((probe) => probe.x > gap && probe.y > gap && probe.x < width - gap && probe.y < height - gap)
        .filter((probe) => {
          for (let dx = -1; dx <= 1; dx++)
            for (let dy = -1; dy <= 1; dy++)
              for (const other of cells.get(cellOf(probe.x + dx * gap, probe.y + dy * gap)) ?? [])
                if (other !== probe && Math.hypot(other.x - probe.x, other.y - probe.y) < gap) return false;
          return true;
        })
        .map(({ index, x, y }) => ({ index, x, y }));
    },
    [api.probes.lon, api.probes.lat, gap] as const,
  );
}

/** The colours of the map canvas at points (CSS pixels), read from the frame MapLibre has just drawn. */
function canvasPixels(page: Page, points: { x: number; y: number }[]): Promise<Rgb[]> {
  return page.evaluate(
    (points) =>
      new Promise<Rgb[]>((resolve) => {
        const map = window.__catchmentMap!;
        map.once("render", () => {
          const canvas = map.getCanvas();
          const gl = canvas.getContext("webgl2")!;
          const ratio = canvas.width / canvas.clientWidth;
          resolve(
            points.map(({ x, y }) => {
              const pixel = new Uint8Array(4);
              gl.readPixels(Math.floor(x * ratio), canvas.height - 1 - Math.floor(y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
              return [pixel[0]!, pixel[1]!, pixel[2]!] as Rgb;
            }),
          );
        });
        map.triggerRepaint();
      }),
    points,
  );
}

/**
 * Whether a pixel shows `color` at `opacity` over the land, the sea or a border, within
 * `tolerance` per channel (rounding; the edge of an antialiased border or line beneath).
 */
function shows(pixel: Rgb, color: string, opacity: number, tolerance = 8): boolean {
  const rgb = hexToRgb(color);
  return [MAP_COLORS.land, MAP_COLORS.ocean, MAP_COLORS.border].some((background) => {
    const under = hexToRgb(background);
    return pixel.every((value, channel) => Math.abs(value - (rgb[channel]! * opacity + under[channel]! * (1 - opacity))) <= tolerance);
  });
}

async function catchment(page: Page, query = `prefix=${encodeURIComponent(PREFIX)}`): Promise<CatchmentBody> {
  const response = await page.request.get(`/api/v1/catchment?${query}`);
  expect(response.status()).toBe(200);
  return response.json();
}

async function shareOnMap(page: Page, code: string): Promise<number> {
  // textContent, not innerText: the legend's rows out of view are not laid out
  // (content-visibility), and innerText only reads what is.
  const text = (await page.getByRole("list", { name: "PoP legend" }).getByRole("button", { name: new RegExp(`^${code}\\b`) }).textContent()) ?? "";
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

    // The probe layer drew every answer in its last frame.
    expect(await page.evaluate(() => window.__catchmentProbes!.drawnCount)).toBeGreaterThanOrEqual(2900);
    // And the canvas shows them: where a probe stands alone, its centre pixel has its PoP's
    // colour over the basemap (but for the few the probe simulator may have moved between the
    // two reads, or with a line under them).
    const alone = await isolatedProbes(page, api);
    expect(alone.length).toBeGreaterThanOrEqual(30);
    const pixels = await canvasPixels(page, alone);
    const coloured = alone.filter((probe, i) => shows(pixels[i]!, popColor(api.probes.pop[probe.index] ?? null), PROBE_OPACITY.all));
    expect(coloured.length).toBeGreaterThan(alone.length * 0.85);
    // At least 15 PoPs' catchments are on the map, each in its own colour.
    expect(new Set(coloured.map((probe) => api.probes.pop[probe.index])).size).toBeGreaterThanOrEqual(15);

    await expect(page.getByText("Simulated data")).toBeVisible();
    // Every PoP has a marker, in its state's colour.
    await expect(page.getByRole("button", { name: /^AMS1 Amsterdam: announced/ })).toBeVisible();
    await expect(page.getByRole("button", { name: /^SYD1 Sydney: announced/ })).toBeVisible();

    // The basemap: land where the continents are and sea where the oceans are, on the world
    // and, zoomed out, on its copies either side. The spots are far from any border; those a
    // probe happens to cover, or off the canvas, are left out.
    await page.evaluate(() => window.__catchmentMap!.jumpTo({ zoom: 0.5, center: [10, 25] }));
    const spots = [
      { lon: 17, lat: 27, land: true }, // Libya
      { lon: -52, lat: -10, land: true }, // Brazil
      { lon: 100, lat: 62, land: true }, // Siberia
      { lon: -155 + 360, lat: 63, land: true }, // Alaska, on the copy to the right
      { lon: -137 + 360, lat: 65, land: true }, // Yukon, on the copy to the right
      { lon: 168 - 360, lat: 66, land: true }, // Chukotka, on the copy to the left
      { lon: 160 - 360, lat: 62, land: true }, // Kamchatka, on the copy to the left
      { lon: -140, lat: 0, land: false }, // the Pacific
      { lon: -30, lat: -30, land: false }, // the South Atlantic
      { lon: -140 + 360, lat: 0, land: false }, // the Pacific, on the copy to the right
      { lon: 160 - 360, lat: -40, land: false }, // the Tasman Sea, on the copy to the left
    ];
    const screen = await page.evaluate((spots) => spots.map(({ lon, lat }) => window.__catchmentMap!.project([lon, lat])), spots);
    const { width, height, probesOnScreen } = await page.evaluate(
      ([lon, lat]) => {
        const map = window.__catchmentMap!;
        const probesOnScreen = lon.flatMap((x, i) => [-360, 0, 360].map((shift) => map.project([x + shift, lat[i]!])));
        return { width: map.getCanvas().clientWidth, height: map.getCanvas().clientHeight, probesOnScreen };
      },
      [api.probes.lon, api.probes.lat] as const,
    );
    const checked = spots.flatMap((spot, i) => {
      const { x, y } = screen[i]!;
      const onCanvas = x > 2 && y > 2 && x < width - 2 && y < height - 2;
      const covered = probesOnScreen.some((probe) => Math.hypot(probe.x - x, probe.y - y) < 8);
      return onCanvas && !covered ? [{ spot, x, y }] : [];
    });
    expect(checked.filter(({ spot }) => spot.land).length).toBeGreaterThanOrEqual(3);
    expect(checked.filter(({ spot }) => !spot.land).length).toBeGreaterThanOrEqual(2);
    expect(checked.filter(({ spot }) => spot.land && Math.abs(spot.lon) > 180).length).toBeGreaterThanOrEqual(1);
    expect(checked.filter(({ spot }) => !spot.land && Math.abs(spot.lon) > 180).length).toBeGreaterThanOrEqual(1);
    const basemap = await canvasPixels(page, checked);
    checked.forEach(({ spot }, i) => {
      expect({ spot, pixel: basemap[i] }).toEqual({ spot, pixel: hexToRgb(spot.land ? MAP_COLORS.land : MAP_COLORS.ocean) });
    });
    await page.evaluate(() => window.__catchmentMap!.jumpTo({ zoom: 1, center: [10, 25] }));
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
    // On the canvas, the other PoPs' probes fade to almost nothing; Johannesburg's stay.
    const alone = await isolatedProbes(page, api);
    const others = alone.filter((probe) => api.probes.pop[probe.index] !== jnb.id && api.probes.pop[probe.index] !== null);
    const pixels = await canvasPixels(page, others);
    // Faded, a probe is within a few levels of what lies under it (shown, over 100 levels off in some channel).
    const faded = others.filter((probe, i) => shows(pixels[i]!, popColor(api.probes.pop[probe.index]!), PROBE_OPACITY.faded, 20));
    expect(faded.length).toBeGreaterThan(others.length * 0.9);
    const own = alone.filter((probe) => api.probes.pop[probe.index] === jnb.id);
    const ownPixels = await canvasPixels(page, own);
    expect(own.filter((probe, i) => shows(ownPixels[i]!, popColor(jnb.id), PROBE_OPACITY.selected)).length).toBeGreaterThanOrEqual(own.length * 0.9);

    // Hover one of Johannesburg's probes: find where the map put it, move the mouse there.
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
    const misroutedLines = await page.evaluate(() => window.__catchmentMap!.queryRenderedFeatures({ layers: ["lines"] }).length);
    expect(misroutedLines).toBeGreaterThan(0);

    await page.getByLabel("Prefix or service").selectOption({ label: "dns" });
    await expect(page).toHaveURL(/\?service=dns$/);
    await expect(page.getByText(/\d+ probe answers/)).toContainText(/^[56]\d{3} probe answers/);

    await page.getByLabel(/^Time:/).fill("-12");
    await expect(page.getByText("History")).toBeVisible();
    await expect(page.getByText(/\d+ probe answers/)).toContainText(/^[56]\d{3} probe answers/);
  });

  test("says so when MapLibre's code or the basemap cannot load, and the shares still show", async ({ as }) => {
    const page = await as("viewer");
    await page.route("**/maplibre-gl.mjs", (route) => route.abort());
    await page.goto(`/map?prefix=${encodeURIComponent(PREFIX)}`);
    await expect(page.getByRole("alert").filter({ hasText: "The map's drawing code (/maplibre-gl.mjs) did not load" })).toBeVisible();
    await expect(page.getByText(/\d+ probe answers.*Pick a PoP/)).toBeVisible();
    await expect(page.getByRole("button", { name: /^AMS1 Amsterdam/ })).toBeVisible();

    await page.unroute("**/maplibre-gl.mjs");
    await page.route("**/basemap/countries-mesh.json", (route) => route.fulfill({ status: 500, body: "" }));
    await page.goto(`/map?prefix=${encodeURIComponent(PREFIX)}`);
    await expect(page.getByRole("alert").filter({ hasText: "The basemap did not load: the probes are drawn over the sea alone" })).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.__catchmentProbes?.drawnCount ?? 0), { timeout: 60_000 }).toBeGreaterThan(2900);
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
