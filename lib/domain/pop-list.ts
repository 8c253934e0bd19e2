// Sorting and filtering of the PoP list, from the page's query string.
import { z } from "zod";

export const POP_SORT_KEYS = ["code", "city", "region", "status", "capacity", "utilisation", "share"] as const;
export type PopSortKey = (typeof POP_SORT_KEYS)[number];

export const popListQuery = z.object({
  region: z.string().optional().catch(undefined),
  state: z.string().optional().catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(POP_SORT_KEYS).catch("code"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
});
export type PopListQuery = z.output<typeof popListQuery>;

export type SortablePop = {
  code: string;
  name: string;
  city: string;
  country: string;
  region: string;
  status: string;
  announcementState: string;
  capacityGbps: number;
  utilisation: number | null;
  catchmentShare: number;
};

function sortValue(pop: SortablePop, key: PopSortKey): string | number {
  switch (key) {
    case "code":
      return pop.code;
    case "city":
      return pop.city;
    case "region":
      return pop.region;
    case "status":
      return pop.status;
    case "capacity":
      return pop.capacityGbps;
    case "utilisation":
      return pop.utilisation ?? -1;
    case "share":
      return pop.catchmentShare;
  }
}

/**
 * `state` matches either the PoP's lifecycle status (active, maintenance, decommissioned) or
 * what it announces (announced, drained, withdrawn, mixed); ties sort by code.
 */
export function filterAndSortPops<T extends SortablePop>(pops: readonly T[], query: PopListQuery): T[] {
  const needle = query.q?.toLowerCase();
  const filtered = pops.filter(
    (pop) =>
      (!query.region || pop.region === query.region) &&
      (!query.state || pop.status === query.state || pop.announcementState === query.state) &&
      (!needle || [pop.code, pop.name, pop.city, pop.country].some((text) => text.toLowerCase().includes(needle))),
  );
  const direction = query.dir === "desc" ? -1 : 1;
  return filtered.sort((a, b) => {
    const x = sortValue(a, query.sort);
    const y = sortValue(b, query.sort);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return order !== 0 ? order * direction : a.code.localeCompare(b.code);
  });
}
