import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { issueApiToken, listApiTokens, revokeApiToken, tokenHolders, userFromApiToken } from "./api-token";

let test: TestDatabase;
const admin = { id: null, name: "test-admin" };

beforeAll(async () => {
  test = await createTestDatabase();
  await test.db.user.create({ data: { username: "feeder", name: "Probe feeder", role: "operator" } });
  await test.db.user.create({ data: { username: "gone", name: "Left the team", role: "operator", disabled: true } });
});
afterAll(() => test.drop());

describe("API tokens", () => {
  it("issues a token for an active user, audited without the token, listed by state until revoked", async () => {
    const { id, token } = await issueApiToken(test.db, admin, { username: "feeder", name: "atlas feed", scopes: ["ingest"] }, "192.0.2.7");
    expect(await userFromApiToken(test.db, token)).toMatchObject({ username: "feeder", role: "operator", scopes: ["ingest"], tokenId: id });

    const created = await test.db.auditEvent.findFirstOrThrow({ where: { action: "api_token.create", targetId: id } });
    expect(created).toMatchObject({ actorName: "test-admin", ip: "192.0.2.7", detail: { user: "feeder", name: "atlas feed", scopes: ["ingest"], expiresAt: null } });
    expect(JSON.stringify(created.detail)).not.toContain(token);

    const expired = await issueApiToken(test.db, admin, { username: "feeder", name: "old feed", scopes: ["read"], expiresAt: new Date(Date.now() - 1000) });
    expect(await userFromApiToken(test.db, expired.token)).toBeNull();

    await revokeApiToken(test.db, admin, id);
    expect(await userFromApiToken(test.db, token)).toBeNull();
    const listed = await listApiTokens(test.db, { username: "feeder" });
    expect(listed.map((t) => [t.name, t.state])).toEqual([
      ["old feed", "expired"],
      ["atlas feed", "revoked"],
    ]);
    for (const secret of [token, expired.token]) expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.every((t) => !("tokenHash" in t) && t.tokenStart.length === 10)).toBe(true);
    expect(await test.db.auditEvent.count({ where: { action: "api_token.revoke", targetId: id } })).toBe(1);
  });

  it("refuses an unknown or disabled user, and a token already revoked, changing nothing", async () => {
    const before = await test.db.apiToken.count();
    await expect(issueApiToken(test.db, admin, { username: "gone", name: "x", scopes: ["ingest"] })).rejects.toThrow("There is no active user gone.");
    await expect(issueApiToken(test.db, admin, { username: "nobody", name: "x", scopes: ["ingest"] })).rejects.toThrow("There is no active user nobody.");
    expect(await test.db.apiToken.count()).toBe(before);

    const { id } = await issueApiToken(test.db, admin, { username: "feeder", name: "twice", scopes: ["ingest"] });
    await revokeApiToken(test.db, admin, id);
    await expect(revokeApiToken(test.db, admin, id)).rejects.toThrow(`There is no active token ${id}.`);
    expect(await test.db.auditEvent.count({ where: { action: "api_token.revoke", targetId: id } })).toBe(1);
  });

  it("offers tokens only for active users", async () => {
    expect((await tokenHolders(test.db)).map((user) => user.username)).toEqual(["feeder"]);
  });
});
