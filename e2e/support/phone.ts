import { expect, type Page } from "@playwright/test";

/** On-call happens on a phone: every page must fit this screen without horizontal scroll. */
export const PHONE = { width: 390, height: 844 };

/** Soft: a page test reports every page that is too wide, not only the first. */
export async function expectNoHorizontalScroll(page: Page, path: string) {
  const width = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
  expect.soft(width, `${path}: the page is ${width} px wide on a ${PHONE.width} px screen`).toBeLessThanOrEqual(PHONE.width);
}
