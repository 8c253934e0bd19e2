import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { expectNoHorizontalScroll, PHONE } from "./support/phone";

/**
 * A Routinator CSV of about 20 MB: `count` distinct VRPs of one trust anchor, 80 % IPv4 /24s
 * from 11.0.0.0 up, 20 % IPv6 /48s under 2a0c::/16, none covering a demo or test prefix.
 */
function writeValidatorExport(file: string, count: number, trustAnchor: string) {
  const lines = ["ASN,IP Prefix,Max Length,Trust Anchor"];
  for (let i = 0; i < count; i++) {
    const asn = 4_200_000_000 + (i % 90_000);
    const n = Math.floor(i / 5) * 4 + (i % 5);
    lines.push(i % 5 === 4 ? `AS${asn},2a0c:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::/48,48,${trustAnchor}` : `AS${asn},${11 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}.0/24,24,${trustAnchor}`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

// Seeds its own prefix and imports ROAs under its own source, so other specs' counts are
// untouched; it deletes the prefix at the end, so the overview is as it found it.
test.describe("RPKI", () => {
  test("an admin creates a prefix, imports a VRP file, sees the dry-run diff, applies it, and the overview's count drops by one", async ({ as }) => {
    const page = await as("admin");
    const third = Math.floor(Math.random() * 200) + 20;
    const prefix = `100.${third}.7.0/24`;
    const source = `e2e${Date.now().toString(36)}`;

    // A prefix with host bits is refused with the hint; a more-specific than /24 warns as it is typed.
    await page.goto("/prefixes/new");
    await page.getByLabel("Prefix", { exact: true }).fill(`100.${third}.7.128/25`);
    await page.getByLabel("Origin ASN").fill("AS2914");
    await expect(page.getByRole("list", { name: "Warnings" })).toContainText("more specific than /24");
    await page.getByLabel("Service").fill("dns");
    await page.getByLabel("Prefix", { exact: true }).fill(`100.${third}.7.9/24`);
    await page.getByRole("button", { name: "Create prefix" }).click();
    await expect(page.locator("#cidr-error")).toHaveText(`100.${third}.7.9/24 has host bits set: did you mean 100.${third}.7.0/24?`);
    await page.getByLabel("Prefix", { exact: true }).fill(prefix);
    await expect(page.getByRole("list", { name: "Warnings" })).toHaveCount(0);
    await page.getByRole("button", { name: "Create prefix" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(prefix);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("RPKI NotFound");
    const prefixUrl = page.url();

    await page.goto("/");
    const problems = page.getByRole("group", { name: "RPKI problems" }).getByTestId("stat-value");
    const before = Number(await problems.textContent());
    expect(before).toBeGreaterThanOrEqual(1);

    // The file: a ROA that makes the new prefix valid, and one unrelated to the fleet.
    await page.goto("/rpki");
    const file = ["ASN,IP Prefix,Max Length,Trust Anchor", `AS2914,${prefix},24,${source}`, `AS2914,100.${third}.200.0/24,24,${source}`].join("\n");
    await page.getByLabel("VRP file").setInputFiles({ name: "vrps.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await page.getByRole("button", { name: "Dry run" }).click();
    const dryRun = page.getByRole("region", { name: "Dry run" });
    await expect(dryRun).toContainText(`replacing source ${source}`);
    await expect(dryRun.getByTestId("import-counts")).toContainText("2 added");
    await expect(dryRun.getByTestId("import-counts")).toContainText("0 removed");
    await expect(dryRun.getByRole("list", { name: "Added ROAs" })).toContainText(`AS2914 ${prefix} max /24 (${source})`);
    const change = dryRun.getByRole("table", { name: "Validity changes" }).getByRole("row").filter({ hasText: prefix });
    await expect(change).toContainText("RPKI NotFound");
    await expect(change).toContainText("RPKI Valid");
    // Nothing is written by the dry run.
    await page.goto("/");
    await expect(problems).toHaveText(String(before));

    await page.goto("/rpki");
    await page.getByLabel("VRP file").setInputFiles({ name: "vrps.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await page.getByRole("button", { name: "Dry run" }).click();
    await page.getByRole("button", { name: "Apply import" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Imported: 2 added, 0 removed" })).toBeVisible();
    await expect(page.getByRole("table", { name: "ROAs" })).toContainText(`100.${third}.200.0/24`);

    await page.goto("/");
    await expect(problems).toHaveText(String(before - 1));

    // A malformed file is refused whole, naming the line.
    await page.goto("/rpki");
    await page.getByLabel("VRP file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(`${file}\nAS2914,100.${third}.9.1/24,24,${source}\n`) });
    await page.getByRole("button", { name: "Dry run" }).click();
    await expect(page.locator("#vrp-errors")).toHaveText(`line 4: 100.${third}.9.1/24 has host bits set: did you mean 100.${third}.9.0/24?`);

    // Clean up: the prefix goes, so the overview's count is what it was before this test.
    await page.goto(prefixUrl);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete prefix" }).click();
    await expect(page).toHaveURL(/\/prefixes$/);
    await page.goto("/");
    await expect(problems).toHaveText(String(before - 1));
  });

  // Issue #14, point 8: past 10 MB the import's server action was cut at Next's proxy body limit (a 500).
  test("an admin imports a 20 MB validator export of 400,000 VRPs through the page, then removes its trust anchor again", async ({ as }) => {
    test.setTimeout(600_000);
    const page = await as("admin");
    const trustAnchor = `e2e-bulk-${Date.now().toString(36)}`;
    const folder = mkdtempSync(path.join(os.tmpdir(), "catchment-e2e-vrps-"));
    const file = path.join(folder, "routinator.csv");
    const emptied = path.join(folder, "empty.csv");
    writeValidatorExport(file, 400_000, trustAnchor);
    writeFileSync(emptied, "ASN,IP Prefix,Max Length,Trust Anchor\n");
    const inUse = page.getByRole("group", { name: "ROAs in use" }).getByTestId("stat-value");
    const counts = page.getByRole("region", { name: "Dry run" }).getByTestId("import-counts");
    const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
    try {
      await page.goto("/rpki");
      const before = Number((await inUse.textContent())!.replace(/,/g, ""));

      await page.getByLabel("VRP file").setInputFiles(file);
      await expect(page.getByRole("button", { name: "Dry run" })).toBeEnabled();
      let started = Date.now();
      await page.getByRole("button", { name: "Dry run" }).click();
      await expect(counts).toHaveText(/400,000 added\s+0 removed\s+0 unchanged/, { timeout: 240_000 });
      const dryRun = seconds(started);
      await expect(page.getByRole("region", { name: "Dry run" })).toContainText(`replacing source ${trustAnchor}`);
      await expect(page.getByRole("region", { name: "Dry run" })).toContainText("None of the fleet's prefixes changes validity.");
      started = Date.now();
      await page.getByRole("button", { name: "Apply import" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Imported: 400,000 added, 0 removed, 0 unchanged" })).toBeVisible({ timeout: 300_000 });
      console.log(`20 MB Routinator CSV (${statSync(file).size.toLocaleString("en")} bytes, 400,000 VRPs) through the page: dry run ${dryRun}, apply ${seconds(started)}`);

      // The page shows the stored set: 400,000 more in use, all of the new trust anchor.
      await expect(inUse).toHaveText((before + 400_000).toLocaleString("en"), { timeout: 60_000 });
      await page.goto(`/rpki?source=${trustAnchor}`);
      await expect(page.getByText("400,000 match, first 500 shown")).toBeVisible();

      // A file naming no trust anchor, imported under this one, removes every ROA of it.
      await page.getByLabel("VRP file").setInputFiles(emptied);
      await page.getByRole("textbox", { name: "Source" }).fill(trustAnchor);
      await page.getByRole("button", { name: "Dry run" }).click();
      await expect(counts).toHaveText(/0 added\s+400,000 removed\s+0 unchanged/, { timeout: 240_000 });
      await page.getByRole("button", { name: "Apply import" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Imported: 0 added, 400,000 removed" })).toBeVisible({ timeout: 300_000 });
      await page.goto("/rpki");
      await expect(inUse).toHaveText(before.toLocaleString("en"));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test("a dry run of rpki-client's 2023 export warns that its VRPs expired, on a desktop and on a phone", async ({ as }, testInfo) => {
    const page = await as("admin");
    const fixture = path.resolve(import.meta.dirname, "../../shared/fixtures/rpki/rpki-client-json-ripe-prepdev-2023-05-04-excerpt.json");
    await page.goto("/rpki");
    await page.getByLabel("VRP file").setInputFiles(fixture);
    await page.getByRole("button", { name: "Dry run" }).click();
    const dryRun = page.getByRole("region", { name: "Dry run" });
    await expect(dryRun.getByTestId("import-counts")).toContainText("1,697 added");
    const warning = dryRun.getByRole("list", { name: "Warnings" });
    await expect(warning).toHaveText(/^Warning: 1,697 of the file's 1,697 VRPs expired before now \(the latest on 2023-05-0\d \d\d:\d\d UTC\): they will be stored as the file gives them, but do not validate\. Import a fresh export\.$/);
    await testInfo.attach("rpki dry run of an expired export, desktop", { body: await dryRun.screenshot(), contentType: "image/png" });
    await page.setViewportSize(PHONE);
    await expect(warning).toBeVisible();
    await expectNoHorizontalScroll(page, "/rpki with an expired file's dry run");
    await testInfo.attach("rpki dry run of an expired export, phone", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  });

  test("a viewer sees the ROA table and export links, but no import and no new ROA", async ({ as }) => {
    const page = await as("viewer");
    await page.goto("/rpki");
    await expect(page.getByRole("table", { name: "ROAs" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", "/api/v1/roas?format=csv");
    await expect(page.getByRole("button", { name: "Dry run" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "New ROA" })).toHaveCount(0);
    const exported = await page.request.get("/api/v1/roas?format=csv");
    expect(exported.status()).toBe(200);
    expect((await exported.text()).split("\n")[0]).toBe("ASN,IP Prefix,Max Length,Trust Anchor");
  });
});
