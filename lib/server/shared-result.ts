/**
 * A result shared for a short time: the first caller for a key computes it, callers that
 * come while it is being computed or within `ttlMs` after get the same promise. For reads
 * that many screens poll at once (the catchment map on every wall screen of a NOC), so that
 * N screens cost one computation per `ttlMs`, not N. A failed computation is not kept.
 */
export function sharedResults<T>(options: { ttlMs: () => number; maxKeys: number }) {
  const entries = new Map<string, { expires: number; value: Promise<T> }>();

  return function shared(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const entry = entries.get(key);
    if (entry && entry.expires > now) return entry.value;

    const value = compute();
    // Until it settles the entry never expires: concurrent callers wait for this one.
    const fresh = { expires: Number.POSITIVE_INFINITY, value };
    entries.delete(key);
    entries.set(key, fresh);
    value.then(
      () => {
        fresh.expires = Date.now() + options.ttlMs();
      },
      () => {
        if (entries.get(key) === fresh) entries.delete(key);
      },
    );
    // The oldest keys go first (a Map iterates in insertion order).
    for (const oldest of entries.keys()) {
      if (entries.size <= options.maxKeys) break;
      entries.delete(oldest);
    }
    return value;
  };
}
