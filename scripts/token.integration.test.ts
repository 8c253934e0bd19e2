import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userFromApiToken } from "@/lib/server/auth/api-token";
import { runToEnd } from "@/test/support/run-to-end";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  await test.db.user.create({ data: { username: "probe-feeder", name: "Probe feeder", role: "operator" } });
});
afterAll(() => test.drop());

const token = (args: string[]) => runToEnd(process.execPath, ["--import", "tsx", "scripts/token.ts", ...args], { env: { ...process.env, DATABASE_URL: test.consoleUrl } });

describe("npm run token", { timeout: 60_000 }, () => {
  it("creates a working token shown once, lists it without the secret, and revokes it", async () => {
    const created = await token(["create", "--user", "probe-feeder", "--name", "atlas feed", "--scopes", "ingest,read"]);
    expect(created.status).toBe(0);
    const secret = created.stdout.split("\n")[0]!;
    expect(secret).toMatch(/^ctm_/);
    expect(await userFromApiToken(test.db, secret)).toMatchObject({ username: "probe-feeder", scopes: ["ingest", "read"] });

    const listed = await token(["list"]);
    expect(listed.stdout).toContain("atlas feed");
    expect(listed.stdout).not.toContain(secret);

    const id = (await test.db.apiToken.findFirstOrThrow()).id;
    expect((await token(["revoke", id])).status).toBe(0);
    expect(await userFromApiToken(test.db, secret)).toBeNull();
    expect((await token(["revoke", id])).status).toBe(1);
    expect(await test.db.auditEvent.count({ where: { action: { startsWith: "api_token." } } })).toBe(2);
  });

  it("refuses unknown users and scopes clearly", async () => {
    const unknownUser = await token(["create", "--user", "nobody", "--name", "x", "--scopes", "ingest"]);
    expect([unknownUser.status, unknownUser.stderr.trim()]).toEqual([1, "catchment token: There is no active user nobody."]);
    const badScope = await token(["create", "--user", "probe-feeder", "--name", "x", "--scopes", "root"]);
    expect(badScope.status).toBe(2);
    expect(badScope.stderr).toMatch(/unknown scope root/);
  });
});
