import { z } from "zod";
import type { CitiesResponse } from "@/lib/api/responses";
import { cityIndex } from "@/lib/demo/cities";
import { searchPlaces } from "@/lib/domain/placement/city-search";
import { defineRoute } from "@/lib/server/route";

const citiesQuery = z.object({ q: z.string().trim().min(1).max(100), limit: z.coerce.number().int().min(1).max(50).default(10) });

/** Cities for a candidate PoP (`?q=nairobi`, or `?q=paris, us`): name, country, coordinates, population. */
export const GET = defineRoute({ role: "viewer", scope: "read", query: citiesQuery }, async ({ query }): Promise<CitiesResponse> => ({ cities: searchPlaces(cityIndex(), query.q, query.limit) }));
