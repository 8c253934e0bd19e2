import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { createDbClient } from "../db/create-client";
import { AppError } from "../errors";
import { log } from "../log";
import { createApiToken, userFromApiToken } from "./api-token";
import { delayAfterFailures } from "./login-throttle";
import { hashPassword } from "./password";
import { SIGN_IN_UNAVAILABLE, signInWithPassword, WRONG_CREDENTIALS } from "./sign-in";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
  const passwordHash = await hashPassword("correct horse");
  await test.db.user.create({ data: { username: "alice", name: "Alice", role: "operator", passwordHash } });
  await test.db.user.create({ data: { username: "carol", name: "Carol", role: "viewer", passwordHash } });
});
afterAll(() => test.drop());
beforeEach(() => test.db.loginThrottle.deleteMany({}));
afterEach(() => vi.restoreAllMocks());

async function attempt(username: string, password: string, ip: string | null = "198.51.100.9") {
  try {
    return await signInWithPassword(test.db, { username, password, ip });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

/** Moves every throttle counter this far into the past, as if that time had gone by. */
async function elapse(ms: number) {
  await test.db.$executeRaw`UPDATE login_throttle SET last_failure_at = last_failure_at - make_interval(secs => ${ms / 1000})`;
}

const throttledRows = () => test.db.auditEvent.findMany({ where: { action: "auth.sign_in_throttled" }, orderBy: { id: "asc" } });

describe("password sign-in", () => {
  it("accepts the right password, case-insensitively on the name", async () => {
    expect(await attempt("Alice", "correct horse")).toMatchObject({ username: "alice", role: "operator" });
  });

  it("refuses a wrong password and an unknown user with the same message, and logs each failure without the password", async () => {
    const info = vi.spyOn(log, "info");
    const wrong = await attempt("alice", "nope-secret-1", "203.0.113.1");
    const unknown = await attempt("mallory", "nope-secret-2", "203.0.113.2");
    expect(wrong).toMatchObject({ code: "unauthenticated", message: WRONG_CREDENTIALS });
    expect(unknown).toMatchObject({ code: "unauthenticated", message: WRONG_CREDENTIALS });
    const failures = info.mock.calls.filter(([fields]) => (fields as { event?: string }).event === "auth.sign_in_failed");
    expect(failures.map(([fields]) => fields)).toEqual([
      { event: "auth.sign_in_failed", user: "alice", ip: "203.0.113.1", reason: "wrong credentials" },
      { event: "auth.sign_in_failed", user: "mallory", ip: "203.0.113.2", reason: "wrong credentials" },
    ]);
    expect(JSON.stringify(info.mock.calls)).not.toContain("nope-secret");
  });

  it("slows down repeated failures of a user from one address, even for the right password, then lets them in after the wait", async () => {
    for (let i = 0; i < 4; i++) expect(await attempt("alice", `guess ${i}`)).toMatchObject({ code: "unauthenticated" });
    const limited = await attempt("alice", "correct horse");
    expect(limited).toMatchObject({ code: "rate_limited" });
    expect((limited as AppError).message).toMatch(/^Too many failed sign-ins\. Try again in \d+ s\.$/);
    await elapse(60_000);
    expect(await attempt("alice", "correct horse")).toMatchObject({ username: "alice" });
    expect(await test.db.loginThrottle.count({ where: { key: { startsWith: "user:alice@" } } })).toBe(0);
  });

  it("does not lock the user out from another address: the throttle is per user and address", async () => {
    for (let i = 0; i < 6; i++) await attempt("alice", `guess ${i}`, "203.0.113.66");
    expect(await attempt("alice", "correct horse", "203.0.113.66")).toMatchObject({ code: "rate_limited" });
    expect(await attempt("alice", "correct horse", "192.0.2.10")).toMatchObject({ username: "alice" });
  });

  it("counts every one of many parallel wrong attempts: only the free ones reach the password check", async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt("carol", `parallel ${i}`, "203.0.113.77")));
    const codes = outcomes.map((outcome) => (outcome as AppError).code);
    expect(codes.filter((code) => code === "unauthenticated")).toHaveLength(4);
    expect(codes.filter((code) => code === "rate_limited")).toHaveLength(8);
    expect(await test.db.loginThrottle.findUnique({ where: { key: "user:carol@203.0.113.77" } })).toMatchObject({ failures: 4 });
  });

  it("slows down password spraying: many user names from one address", async () => {
    for (let i = 0; i < 20; i++) expect(await attempt(`sprayed${i}`, "Winter2026!", "203.0.113.88")).toMatchObject({ code: "unauthenticated" });
    expect(await attempt("alice", "correct horse", "203.0.113.88")).toMatchObject({ code: "rate_limited" });
    expect(await attempt("alice", "correct horse", "192.0.2.11")).toMatchObject({ username: "alice" });
  });

  it("keeps no row for attempts it refused: a throttled address spraying new names adds nothing", async () => {
    for (let i = 0; i < 20; i++) await attempt(`sprayed${i}`, "Winter2026!", "203.0.113.77");
    const rows = await test.db.loginThrottle.count();
    for (let i = 0; i < 30; i++) expect(await attempt(`fresh${i}`, "Winter2026!", "203.0.113.77")).toMatchObject({ code: "rate_limited" });
    expect(await test.db.loginThrottle.count()).toBe(rows);
  });

  it("counts an IPv6 client's whole /64 as one place against spraying", async () => {
    for (let i = 0; i < 20; i++) await attempt(`sprayed${i}`, "Winter2026!", `2001:db8:7:1::${(i + 1).toString(16)}`);
    expect(await attempt("alice", "correct horse", "2001:db8:7:1:ffff::1")).toMatchObject({ code: "rate_limited" });
    expect(await attempt("alice", "correct horse", "2001:db8:7:2::1")).toMatchObject({ username: "alice" });
  });

  it("takes a successful sign-in back from the address's count, and drops counters past their hour", async () => {
    await attempt("mallory", "old guess", "192.0.2.99");
    await elapse(61 * 60_000);
    await attempt("alice", "wrong", "203.0.113.99");
    await attempt("alice", "correct horse", "203.0.113.99");
    expect(await test.db.loginThrottle.findMany({ select: { key: true, failures: true } })).toEqual([{ key: "address:203.0.113.99", failures: 1 }]);
  });

  it("writes one audit record per burst, when its throttle starts, not one per attempt", async () => {
    const before = (await throttledRows()).length;
    for (let i = 0; i < 4; i++) await attempt("carol", `burst ${i}`, "198.51.100.50");
    expect(await attempt("carol", "more", "198.51.100.50")).toMatchObject({ code: "rate_limited" });
    // The same burst goes on after the wait: no new record.
    await elapse(2_000);
    expect(await attempt("carol", "more", "198.51.100.50")).toMatchObject({ code: "unauthenticated" });
    const rows = (await throttledRows()).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorName: "carol", ip: "198.51.100.50", detail: { method: "password", scope: "user from address", failures: 4 } });
    // An hour later a new burst gets its own record.
    await elapse(61 * 60_000);
    for (let i = 0; i < 4; i++) await attempt("carol", `burst ${i}`, "198.51.100.50");
    expect((await throttledRows()).slice(before)).toHaveLength(2);
    expect(await test.db.auditEvent.count({ where: { action: "auth.sign_in_failed" } })).toBe(0);
  });

  it("records the start of an address's throttle once, for spraying", async () => {
    const before = (await throttledRows()).length;
    for (let i = 0; i < 25; i++) await attempt(`nobody${i}`, "pw", "203.0.113.111");
    const rows = (await throttledRows()).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ip: "203.0.113.111", detail: { scope: "address", failures: 20 } });
  });

  it("refuses a disabled user", async () => {
    await test.db.user.create({ data: { username: "bob", name: "Bob", disabled: true, passwordHash: await hashPassword("pw") } });
    expect(await attempt("bob", "pw", "192.0.2.201")).toMatchObject({ code: "unauthenticated" });
  });

  it("with the database down, says so in a plain sentence: no host, port or driver text", async () => {
    const unreachable = createDbClient("postgresql://catchment:hunter2@127.0.0.1:9/catchment");
    const error = vi.spyOn(log, "error").mockImplementation(() => undefined);
    try {
      const outcome = await signInWithPassword(unreachable, { username: "alice", password: "correct horse", ip: "192.0.2.1" }).catch((e: unknown) => e);
      expect(outcome).toBeInstanceOf(AppError);
      expect(outcome).toMatchObject({ code: "unavailable", message: SIGN_IN_UNAVAILABLE });
      expect((outcome as Error).message).not.toMatch(/127\.0\.0\.1|:9\b|prisma|ECONNREFUSED|hunter2|catchment@/i);
      // The details go to the server's log.
      expect(error).toHaveBeenCalledWith(expect.objectContaining({ event: "auth.sign_in_error", user: "alice" }), expect.any(String));
    } finally {
      await unreachable.$disconnect();
    }
  });
});

describe("the throttle's schedule", () => {
  it("is free for the first attempts, then doubles up to 15 minutes", () => {
    expect([0, 1, 2, 3].map((failures) => delayAfterFailures(failures))).toEqual([0, 0, 0, 0]);
    expect([4, 5, 6].map((failures) => delayAfterFailures(failures))).toEqual([1000, 2000, 4000]);
    expect(delayAfterFailures(40)).toBe(15 * 60_000);
    expect(delayAfterFailures(19, 20)).toBe(0);
    expect(delayAfterFailures(20, 20)).toBe(1000);
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
