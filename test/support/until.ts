/**
 * Reads until `done` holds or `timeoutMs` has passed, and returns the last value read: the
 * test then asserts on it, so a timeout fails with what was actually seen.
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 8000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
