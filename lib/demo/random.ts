// Seeded randomness for the demo fleet: never Math.random, so a seed names one fleet.

export type Random = () => number;

/** mulberry32: a small, fast 32-bit generator, uniform in [0, 1). Plenty for demo data. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One item, with probability proportional to its weight. */
export function pickWeighted<T>(random: Random, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let target = random() * total;
  for (const item of items) {
    target -= weight(item);
    if (target < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new Error("pickWeighted needs at least one item.");
  return last;
}

/**
 * `count` distinct items, each draw proportional to weight among those left
 * (Efraimidis and Spirakis: keep the largest u^(1/w), compared as ln(u) / w).
 * Returned in draw order, heaviest keys first.
 */
export function weightedSampleWithoutReplacement<T>(
  random: Random,
  items: readonly T[],
  count: number,
  weight: (item: T) => number,
): T[] {
  const keyed = items.map((item) => ({ item, key: Math.log(random() || Number.MIN_VALUE) / weight(item) }));
  keyed.sort((a, b) => b.key - a.key);
  return keyed.slice(0, count).map((entry) => entry.item);
}

/** A shuffled copy (Fisher-Yates). */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
