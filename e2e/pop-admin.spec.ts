import { expect, test, uniquePopCode } from "./support/fixtures";
import { createPopThroughForm, fitsViewportWidth } from "./support/pop-form";

test.describe("PoP inventory", () => {
  test("an admin creates a PoP, sees field errors first, then edits it; both are audited", async ({ as }) => {
    const page = await as("admin");
    await page.goto("/pops");
    await page.getByRole("link", { name: "Add PoP" }).click();
    const form = page.getByRole("form", { name: "New PoP" });

    // Wrong on purpose: a duplicate code, a latitude out of range, a URL that is not one.
    await form.getByLabel("Code", { exact: true }).fill("AMS1");
    await form.getByLabel("Name", { exact: true }).fill("Test PoP");
    await form.getByLabel("City", { exact: true }).fill("Reykjavik");
    await form.getByLabel("Country", { exact: true }).fill("IS");
    await form.getByLabel("Region", { exact: true }).selectOption("europe");
    await form.getByLabel("Latitude", { exact: true }).fill("95");
    await form.getByLabel("Longitude", { exact: true }).fill("-21.9");
    await form.getByLabel("Capacity (Gbps)", { exact: true }).fill("100");
    await form.getByLabel("Agent URL", { exact: true }).fill("not a url");
    const upstream = form.getByTestId("upstream-row").first();
    await upstream.getByLabel("Upstream name", { exact: true }).fill("Arelion");
    await upstream.getByLabel("Peer ASN", { exact: true }).fill("AS1299");
    await upstream.getByLabel("Peer address", { exact: true }).fill("192.0.2.77");
    await form.getByRole("button", { name: "Create PoP" }).click();
    await expect(form.locator("#latitude-error")).toHaveText("Latitude must be between -90 and 90.");
    await expect(form.locator("#agentUrl-error")).toContainText("Enter a full URL");

    await form.getByLabel("Latitude", { exact: true }).fill("64.1466");
    await form.getByLabel("Agent URL", { exact: true }).fill("https://rkv-agent.example.net:8443");
    await form.getByRole("button", { name: "Create PoP" }).click();
    await expect(form.locator("#code-error")).toHaveText("is already taken");

    const code = uniquePopCode();
    await form.getByLabel("Code", { exact: true }).fill(code);
    await form.getByRole("button", { name: "Create PoP" }).click();
    await expect(page).toHaveURL(new RegExp(`/pops/${code}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(code);
    await expect(page.getByRole("region", { name: "Upstreams and BGP sessions" })).toContainText("AS1299");

    await page.getByRole("link", { name: "Edit PoP" }).click();
    const edit = page.getByRole("form", { name: `Edit ${code}` });
    await expect(edit.getByLabel("Code", { exact: true })).toHaveValue(code);
    await edit.getByLabel("Capacity (Gbps)", { exact: true }).fill("250");
    await edit.getByRole("button", { name: "Add upstream" }).click();
    const second = edit.getByTestId("upstream-row").nth(1);
    await second.getByLabel("Upstream name", { exact: true }).fill("Cogent");
    await second.getByLabel("Peer ASN", { exact: true }).fill("174");
    await second.getByLabel("Peer address", { exact: true }).fill("2001:db8::174");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(page).toHaveURL(new RegExp(`/pops/${code}$`));
    await expect(page.getByText("250 Gbps")).toBeVisible();
    await expect(page.getByRole("region", { name: "Upstreams and BGP sessions" })).toContainText("AS174");
    const changes = page.getByRole("region", { name: "Recent changes" });
    await expect(changes).toContainText("pop.create");
    await expect(changes).toContainText("pop.update");
  });

  for (const role of ["viewer", "operator"] as const) {
    test(`a ${role} sees no edit controls and cannot open the forms`, async ({ as }) => {
      const page = await as(role);
      await page.goto("/pops");
      await expect(page.getByRole("heading", { name: "PoPs" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Add PoP" })).toHaveCount(0);
      await page.goto("/pops/AMS1");
      await expect(page.getByRole("heading", { level: 1 })).toContainText("AMS1");
      await expect(page.getByRole("link", { name: "Edit PoP" })).toHaveCount(0);
      await expect(page.getByRole("form", { name: "Assign a prefix" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Remove .* from AMS1$/ })).toHaveCount(0);
      const response = await page.goto("/pops/new");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "Not for your role" })).toBeVisible();
    });
  }

  test("a viewer's direct POST to the admin-only action is refused and changes nothing", async ({ as, browser }) => {
    // Learn the action's id and payload from an admin's real submission.
    const admin = await as("admin");
    await admin.goto("/pops/AMS1/edit");
    const requestPromise = admin.waitForRequest((request) => request.method() === "POST" && Boolean(request.headers()["next-action"]));
    await admin.getByRole("button", { name: "Save changes" }).click();
    const captured = await requestPromise;
    await expect(admin).toHaveURL(/\/pops\/AMS1$/);
    const actionId = captured.headers()["next-action"]!;
    const body = captured.postDataBuffer()!;
    const contentType = captured.headers()["content-type"]!;

    for (const role of ["viewer", "operator"] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const { signInThroughApi } = await import("./support/fixtures");
      await signInThroughApi(page.request, role);
      const tampered = body.toString("latin1").replace(/(name="capacityGbps"\r\n\r\n)\d+/, "$19999");
      const response = await page.request.post("/pops/AMS1/edit", {
        headers: { "next-action": actionId, "content-type": contentType, accept: "text/x-component" },
        data: Buffer.from(tampered, "latin1"),
      });
      const text = await response.text();
      expect(text).toContain("This needs the admin role");
      await page.goto("/pops/AMS1");
      await expect(page.getByText("9999 Gbps")).toHaveCount(0);
      await context.close();
    }
  });
});

test.describe("a PoP's prefixes, and deleting a PoP", () => {
  test("an admin gives a new PoP a prefix: it shows withdrawn; removed, then the fresh PoP is deleted", async ({ as }) => {
    const page = await as("admin");
    const code = uniquePopCode();
    await createPopThroughForm(page, { code, upstream: { name: "Telia", peerAsn: "AS1299", peerAddress: "192.0.2.99" } });
    const announcements = page.getByRole("region", { name: "Announcements" });
    await expect(announcements).toContainText("No prefix is assigned to this PoP yet");

    const assign = announcements.getByRole("form", { name: "Assign a prefix" });
    const select = assign.getByLabel("Assign a prefix");
    const cidr = await select.inputValue();
    expect(cidr).toMatch(/\//);
    await assign.getByRole("button", { name: "Assign" }).click();
    await expect(assign.getByRole("status")).toContainText(`Assigned ${cidr}, withdrawn`);
    const row = announcements.getByRole("row", { name: new RegExp(cidr.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) });
    await expect(row).toContainText("Withdrawn");
    // Now an operator can restore it, through the operation's checks.
    await expect(page.getByRole("region", { name: "Operate" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Recent changes" })).toContainText("pop.prefix.assign");

    // On the on-call phone too: the page and the new controls fit 390 px.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect(announcements.getByRole("form", { name: "Assign a prefix" }).or(announcements.getByText("Every prefix of the fleet"))).toBeVisible();
    expect(await fitsViewportWidth(page)).toBe(true);

    await announcements.getByRole("button", { name: `Remove ${cidr} from ${code}` }).click();
    await expect(announcements).toContainText("No prefix is assigned to this PoP yet");

    await page.getByRole("link", { name: "Edit PoP" }).click();
    const removal = page.getByRole("region", { name: "Delete PoP" });
    await expect(removal).toContainText("has never announced anything");
    expect(await fitsViewportWidth(page)).toBe(true);
    page.once("dialog", (dialog) => void dialog.accept());
    await removal.getByRole("button", { name: "Delete PoP" }).click();
    await expect(page).toHaveURL(/\/pops$/);
    const gone = await page.goto(`/pops/${code}`);
    expect(gone?.status()).toBe(404);
  });

  test("a PoP with a history cannot be deleted: the edit page says why and offers decommission", async ({ as }) => {
    const page = await as("admin");
    await page.goto("/pops/AMS1/edit");
    const removal = page.getByRole("region", { name: "Decommission PoP" });
    await expect(removal).toContainText("AMS1 cannot be deleted");
    await expect(removal).toContainText("announced there");
    await expect(removal.getByRole("button", { name: "Decommission PoP" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Delete PoP" })).toHaveCount(0);
  });
});
