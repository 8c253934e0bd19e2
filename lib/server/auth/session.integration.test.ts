import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";

const SECRET = "x".repeat(40);
vi.stubEnv("NEXTAUTH_SECRET", SECRET);
// The module's own client is never used here (each call gets the test database), but it is created at import.
vi.stubEnv("DATABASE_URL", "postgresql://unused@127.0.0.1:1/unused");
const { userFromSessionToken } = await import("./session");

let test: TestDatabase;
let userId: string;
beforeAll(async () => {
  test = await createTestDatabase();
  userId = (await test.db.user.create({ data: { username: "carol", name: "Carol", role: "admin" } })).id;
});
afterAll(() => test.drop());

async function cookieFor(sessionId: string, secret = SECRET) {
  return encode({ token: { sub: userId, sid: sessionId }, secret });
}

describe("session cookies", () => {
  it("name a live session row; the role comes from the database, not the cookie", async () => {
    const session = await test.db.session.create({ data: { userId, expiresAt: new Date(Date.now() + 3600_000) } });
    expect(await userFromSessionToken(test.db, await cookieFor(session.id))).toMatchObject({ username: "carol", role: "admin", sessionId: session.id });
    await test.db.user.update({ where: { id: userId }, data: { role: "viewer" } });
    expect(await userFromSessionToken(test.db, await cookieFor(session.id))).toMatchObject({ role: "viewer" });
  });

  it("stop working when revoked, expired, the user is disabled, or signed with another secret", async () => {
    const revoked = await test.db.session.create({ data: { userId, expiresAt: new Date(Date.now() + 3600_000), revokedAt: new Date() } });
    const expired = await test.db.session.create({ data: { userId, expiresAt: new Date(Date.now() - 1000) } });
    const live = await test.db.session.create({ data: { userId, expiresAt: new Date(Date.now() + 3600_000) } });
    expect(await userFromSessionToken(test.db, await cookieFor(revoked.id))).toBeNull();
    expect(await userFromSessionToken(test.db, await cookieFor(expired.id))).toBeNull();
    expect(await userFromSessionToken(test.db, await cookieFor(live.id, "y".repeat(40)))).toBeNull();
    expect(await userFromSessionToken(test.db, "garbage")).toBeNull();
    expect(await userFromSessionToken(test.db, undefined)).toBeNull();
    await test.db.user.update({ where: { id: userId }, data: { disabled: true } });
    expect(await userFromSessionToken(test.db, await cookieFor(live.id))).toBeNull();
  });
});
