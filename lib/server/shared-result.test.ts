import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sharedResults } from "./shared-result";

describe("sharedResults", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("computes once for callers that come while it runs and within the time to live", async () => {
    const shared = sharedResults<number>({ ttlMs: () => 1000, maxKeys: 10 });
    let runs = 0;
    const compute = async () => ++runs;
    const [a, b] = await Promise.all([shared("k", compute), shared("k", compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    vi.advanceTimersByTime(999);
    expect(await shared("k", compute)).toBe(1);
    expect(runs).toBe(1);
  });

  it("past the time to live, serves the old result while one fresh one is computed, then the fresh one", async () => {
    const shared = sharedResults<number>({ ttlMs: () => 1000, maxKeys: 10 });
    let runs = 0;
    let release = () => {};
    const slow = () => new Promise<number>((resolve) => (release = () => resolve(++runs)));
    const first = shared("k", slow);
    release();
    expect(await first).toBe(1);
    vi.advanceTimersByTime(1500);
    // Stale but young enough: served at once; one background computation starts.
    expect(await shared("k", slow)).toBe(1);
    expect(await shared("k", slow)).toBe(1);
    release();
    await vi.waitFor(async () => expect(await shared("k", slow)).toBe(2));
    expect(runs).toBe(2);
  });

  it("waits for a fresh result when the old one is more than twice the time to live", async () => {
    const shared = sharedResults<number>({ ttlMs: () => 1000, maxKeys: 10 });
    let runs = 0;
    const compute = async () => ++runs;
    await shared("k", compute);
    vi.advanceTimersByTime(2000);
    expect(await shared("k", compute)).toBe(2);
  });

  it("keeps the old result when a background computation fails, and tries again on the next call", async () => {
    const shared = sharedResults<number>({ ttlMs: () => 1000, maxKeys: 10 });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await shared("k", async () => 1);
    vi.advanceTimersByTime(1500);
    expect(await shared("k", async () => Promise.reject(new Error("database down")))).toBe(1);
    await settle();
    expect(await shared("k", async () => 3)).toBe(1);
    await settle();
    expect(await shared("k", async () => 4)).toBe(3);
    // Too old and failing: the caller gets the failure, not the old result.
    vi.advanceTimersByTime(2000);
    await expect(shared("k", async () => Promise.reject(new Error("still down")))).rejects.toThrow("still down");
  });

  it("keeps keys apart", async () => {
    const shared = sharedResults<string>({ ttlMs: () => 1000, maxKeys: 10 });
    expect(await shared("a", async () => "A")).toBe("A");
    expect(await shared("b", async () => "B")).toBe("B");
    expect(await shared("a", async () => "other")).toBe("A");
  });

  it("does not keep a failure: the next caller computes again", async () => {
    const shared = sharedResults<number>({ ttlMs: () => 60_000, maxKeys: 10 });
    await expect(shared("k", async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(await shared("k", async () => 7)).toBe(7);
  });

  it("with a time to live of 0 shares only what is still being computed", async () => {
    const shared = sharedResults<number>({ ttlMs: () => 0, maxKeys: 10 });
    let runs = 0;
    const compute = async () => ++runs;
    await Promise.all([shared("k", compute), shared("k", compute)]);
    expect(runs).toBe(1);
    await shared("k", compute);
    expect(runs).toBe(2);
  });

  it("forgets the oldest keys beyond maxKeys", async () => {
    const shared = sharedResults<string>({ ttlMs: () => 60_000, maxKeys: 2 });
    for (const key of ["a", "b", "c"]) await shared(key, async () => key);
    expect(await shared("a", async () => "a again")).toBe("a again");
    expect(await shared("c", async () => "c again")).toBe("c");
  });
});
