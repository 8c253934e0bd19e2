import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { AppError } from "../errors";
import { createApiToken, userFromApiToken } from "./api-token";
import { delayAfterFailures } from "./login-throttle";
import { hashPassword } from "./password";
import { signInWithPassword, WRONG_CREDENTIALS } from "./sign-in";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  await test.db.user.create({ data: { username: "alice", name: "Alice", role: "operator", passwordHash: await hashPassword("correct horse") } });
});
afterAll(() => test.drop());

async function attempt(username: string, password: string, ip = "198.51.100.9") {
  try {
    return await signInWithPassword(test.db, { username, password, ip });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

describe("password sign-in", () => {
  it("accepts the right password, case-insensitively on the name, and records nothing as failed", async () => {
    expect(await attempt("Alice", "correct horse")).toMatchObject({ username: "alice", role: "operator" });
  });

  it("refuses a wrong password and an unknown user with the same message, and audits both", async () => {
    const wrong = await attempt("alice", "nope", "203.0.113.1");
    const unknown = await attempt("mallory", "nope", "203.0.113.2");
    expect(wrong).toMatchObject({ code: "unauthenticated", message: WRONG_CREDENTIALS });
    expect(unknown).toMatchObject({ code: "unauthenticated", message: WRONG_CREDENTIALS });
    const failures = await test.db.auditEvent.findMany({ where: { action: "auth.sign_in_failed" } });
    expect(failures.map((event) => event.actorName).sort()).toEqual(["alice", "mallory"]);
  });

  it("slows down repeated failures, even for the right password, then lets the user in after the wait", async () => {
    await test.db.loginThrottle.deleteMany({});
    for (let i = 0; i < 4; i++) expect(await attempt("alice", `guess ${i}`)).toMatchObject({ code: "unauthenticated" });
    const limited = await attempt("alice", "correct horse");
    expect(limited).toMatchObject({ code: "rate_limited" });
    expect((limited as AppError).message).toMatch(/^Too many failed sign-ins\. Try again in \d+ s\.$/);
    // From another address too: the user name itself is throttled.
    expect(await attempt("alice", "correct horse", "192.0.2.200")).toMatchObject({ code: "rate_limited" });
    // Once the wait has passed, the right password works and clears the count.
    await test.db.loginThrottle.updateMany({ data: { lastFailureAt: new Date(Date.now() - 60_000) } });
    expect(await attempt("alice", "correct horse")).toMatchObject({ username: "alice" });
    expect(await test.db.loginThrottle.count({ where: { key: "user:alice" } })).toBe(0);
  });

  it("refuses a disabled user", async () => {
    await test.db.user.create({ data: { username: "bob", name: "Bob", disabled: true, passwordHash: await hashPassword("pw") } });
    expect(await attempt("bob", "pw", "192.0.2.201")).toMatchObject({ code: "unauthenticated" });
  });
});

describe("the throttle's schedule", () => {
  it("is free for the first attempts, then doubles up to 15 minutes", () => {
    expect([0, 1, 2, 3].map(delayAfterFailures)).toEqual([0, 0, 0, 0]);
    expect([4, 5, 6].map(delayAfterFailures)).toEqual([1000, 2000, 4000]);
    expect(delayAfterFailures(40)).toBe(15 * 60_000);
  });
});

describe("API tokens", () => {
  it("authenticate by hash, carry their scopes, and stop working when revoked", async () => {
    const user = await test.db.user.findUniqueOrThrow({ where: { username: "alice" } });
    const { id, token } = await createApiToken(test.db, { userId: user.id, name: "probe feed", scopes: ["ingest"] });
    expect(await test.db.apiToken.count({ where: { tokenHash: token } })).toBe(0);
    expect(await userFromApiToken(test.db, token)).toMatchObject({ username: "alice", scopes: ["ingest"] });
    expect(await userFromApiToken(test.db, token + "x")).toBeNull();
    await test.db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    expect(await userFromApiToken(test.db, token)).toBeNull();
  });
});
