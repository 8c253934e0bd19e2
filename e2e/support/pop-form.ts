import { expect, type Page } from "@playwright/test";

/** Creates a PoP through the New PoP form, as an admin would; lands on its page. */
export async function createPopThroughForm(
  page: Page,
  { code, agentUrl = "", agentSecret = "", upstream }: { code: string; agentUrl?: string; agentSecret?: string; upstream: { name: string; peerAsn: string; peerAddress: string } },
) {
  await page.goto("/pops/new");
  const form = page.getByRole("form", { name: "New PoP" });
  await form.getByLabel("Code", { exact: true }).fill(code);
  await form.getByLabel("Name", { exact: true }).fill(`Test ${code}`);
  await form.getByLabel("City", { exact: true }).fill("Oslo");
  await form.getByLabel("Country", { exact: true }).fill("NO");
  await form.getByLabel("Region", { exact: true }).selectOption("europe");
  await form.getByLabel("Latitude", { exact: true }).fill("59.91");
  await form.getByLabel("Longitude", { exact: true }).fill("10.75");
  await form.getByLabel("Capacity (Gbps)", { exact: true }).fill("40");
  await form.getByLabel("Agent URL", { exact: true }).fill(agentUrl);
  await form.getByLabel("Agent secret", { exact: true }).fill(agentSecret);
  const row = form.getByTestId("upstream-row").first();
  await row.getByLabel("Upstream name", { exact: true }).fill(upstream.name);
  await row.getByLabel("Peer ASN", { exact: true }).fill(upstream.peerAsn);
  await row.getByLabel("Peer address", { exact: true }).fill(upstream.peerAddress);
  await form.getByRole("button", { name: "Create PoP" }).click();
  await expect(page).toHaveURL(new RegExp(`/pops/${code}$`));
}

/** True when the page fits its viewport's width: no sideways scroll of the whole page. */
export async function fitsViewportWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
