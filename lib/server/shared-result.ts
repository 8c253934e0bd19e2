/**
 * A result shared for a short time: for reads that many screens poll at once (the catchment
 * map on every wall screen of a NOC), so that N screens cost one computation per `ttlMs`,
 * not N, and no poll waits for a recomputation.
 *
 * - Callers that come while a result is first computed wait for that computation.
 * - A result younger than `ttlMs` is served as it is.
 * - One older than `ttlMs` but younger than twice that is still served, while a fresh one is
 *   computed in the background (one at a time); later callers get the fresh one.
 * - Anything older, or nothing, means computing and waiting: a screen that asks after a
 *   quiet hour never sees the hour-old result.
 * - A failed computation is not kept; a failed background one leaves the old result until it
 *   is too old.
 */
export function sharedResults<T>(options: { ttlMs: () => number; maxKeys: number }) {
  type Entry = { current: Promise<T>; settledAt: number | null; refreshing: boolean };
  const entries = new Map<string, Entry>();

  function refresh(key: string, entry: Entry, compute: () => Promise<T>) {
    entry.refreshing = true;
    const fresh = compute();
    fresh.then(
      () => {
        if (entries.get(key) !== entry) return;
        entry.current = fresh;
        entry.settledAt = Date.now();
        entry.refreshing = false;
      },
      () => {
        entry.refreshing = false;
      },
    );
  }

  return function shared(key: string, compute: () => Promise<T>): Promise<T> {
    const ttl = options.ttlMs();
    const existing = entries.get(key);
    if (existing) {
      if (existing.settledAt === null) return existing.current;
      const age = Date.now() - existing.settledAt;
      if (age < ttl) return existing.current;
      if (age < 2 * ttl) {
        if (!existing.refreshing) refresh(key, existing, compute);
        return existing.current;
      }
    }

    const entry: Entry = { current: compute(), settledAt: null, refreshing: false };
    entries.delete(key);
    entries.set(key, entry);
    entry.current.then(
      () => {
        entry.settledAt = Date.now();
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    // The oldest keys go first (a Map iterates in insertion order).
    for (const oldest of entries.keys()) {
      if (entries.size <= options.maxKeys) break;
      entries.delete(oldest);
    }
    return entry.current;
  };
}
