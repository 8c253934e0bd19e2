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
    vi.advanceTimersByTime(2);
    expect(await shared("k", compute)).toBe(2);
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
