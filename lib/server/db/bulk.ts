// Bulk writes go in as arrays through INSERT ... SELECT FROM unnest(...): one statement per
// chunk instead of one bind parameter per value. No "server-only": the seed and CLI use it.

/** Rows per bulk statement: a few MB of parameters. */
export const BULK_CHUNK = 20_000;

export function chunks<T>(items: readonly T[], size = BULK_CHUNK): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
