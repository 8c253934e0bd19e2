import { expect, test } from "./support/fixtures";

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
