import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, userFromApiToken } from "@/lib/server/auth/api-token";
import { verifyPassword } from "@/lib/server/auth/password";
import { runToEnd } from "@/test/support/run-to-end";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const user = (args: string[], input?: string) => runToEnd(process.execPath, ["--import", "tsx", "scripts/user.ts", ...args], { env: { ...process.env, DATABASE_URL: test.consoleUrl }, input });
// The hash is left out of queries unless asked for by name.
const find = (username: string) => test.db.user.findUniqueOrThrow({ where: { username }, omit: { passwordHash: false } });

describe("npm run user", { timeout: 60_000 }, () => {
  it("creates a first admin whose password works, with the password from stdin, and audits it", async () => {
    const created = await user(["create", "noc-lead", "--name", "NOC lead", "--role", "admin"], "correct horse battery\n");
    expect([created.status, created.stdout.trim()]).toEqual([0, "created noc-lead (admin)"]);
    const lead = await find("noc-lead");
    expect(lead).toMatchObject({ name: "NOC lead", role: "admin", disabled: false });
    expect(await verifyPassword(lead.passwordHash!, "correct horse battery")).toBe(true);
    expect(await test.db.auditEvent.findFirst({ where: { action: "user.create", targetId: lead.id } })).toMatchObject({ actorName: "cli", detail: { username: "noc-lead", role: "admin" } });
    expect((await user(["list"])).stdout).toMatch(/^noc-lead {2}admin {2}password {2}active {2}never signed in {2}NOC lead$/m);
  });

  it("refuses a taken name, a short password and a bad role, writing nothing", async () => {
    await user(["create", "taken", "--name", "First", "--role", "viewer"], "a long enough password\n");
    const count = await test.db.user.count();
    const taken = await user(["create", "taken", "--name", "Second", "--role", "viewer"], "a long enough password\n");
    expect([taken.status, taken.stderr.trim()]).toEqual([1, "catchment user: There is already a user taken."]);
    const short = await user(["create", "shorty", "--name", "Short", "--role", "viewer"], "short\n");
    expect([short.status, short.stderr.trim()]).toEqual([1, "catchment user: A password needs at least 12 characters."]);
    const badRole = await user(["create", "boss", "--name", "Boss", "--role", "root"], "a long enough password\n");
    expect(badRole.status).toBe(2);
    expect(badRole.stderr).toMatch(/give a role: viewer, operator, admin/);
    expect(await test.db.user.count()).toBe(count);
  });

  it("changes a role and a password, and disabling signs the user out and stops their tokens", async () => {
    await user(["create", "oncall", "--name", "On call", "--role", "viewer"], "first password here\n");
    const oncall = await find("oncall");
    const session = () => test.db.session.create({ data: { userId: oncall.id, expiresAt: new Date(Date.now() + 3600_000) } });

    expect((await user(["role", "oncall", "operator"])).status).toBe(0);
    expect((await find("oncall")).role).toBe("operator");

    const before = await session();
    expect((await user(["password", "oncall"], "second password here\n")).status).toBe(0);
    expect(await verifyPassword((await find("oncall")).passwordHash!, "second password here")).toBe(true);
    expect((await test.db.session.findUniqueOrThrow({ where: { id: before.id } })).revokedAt).not.toBeNull();

    const { token } = await createApiToken(test.db, { userId: oncall.id, name: "feed", scopes: ["ingest"] });
    const open = await session();
    expect((await user(["disable", "oncall"])).status).toBe(0);
    expect(await userFromApiToken(test.db, token)).toBeNull();
    expect((await test.db.session.findUniqueOrThrow({ where: { id: open.id } })).revokedAt).not.toBeNull();
    expect((await user(["enable", "oncall"])).status).toBe(0);
    expect(await userFromApiToken(test.db, token)).toMatchObject({ username: "oncall" });

    const actions = (await test.db.auditEvent.findMany({ where: { targetId: oncall.id }, orderBy: { id: "asc" } })).map((event) => event.action);
    expect(actions).toEqual(["user.create", "user.role", "user.password", "user.disable", "user.enable"]);
    // An SSO user's role and password are the identity provider's.
    await test.db.user.create({ data: { username: "sso-user", name: "SSO user", role: "viewer", oidcSubject: "sub-1" } });
    const ssoRole = await user(["role", "sso-user", "admin"]);
    expect([ssoRole.status, ssoRole.stderr.trim()]).toEqual([1, "catchment user: sso-user signs in with SSO: its role comes from the identity provider."]);
    expect((await user(["password", "sso-user"], "a local password too\n")).status).toBe(1);
    expect(await find("sso-user")).toMatchObject({ role: "viewer", passwordHash: null });

    const unknown = await user(["disable", "nobody"]);
    expect([unknown.status, unknown.stderr.trim()]).toEqual([1, "catchment user: There is no user nobody."]);
  });
});
