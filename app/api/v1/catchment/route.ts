import { z } from "zod";
import { mapShareMs } from "@/lib/server/catchment/data-sources";
import { getCatchmentMap } from "@/lib/server/catchment/get-catchment-map";
import { defineRoute } from "@/lib/server/route";
import { sharedResults } from "@/lib/server/shared-result";

/** Clocks differ a little; a time further ahead than this is a mistake, not a skew. */
const FUTURE_SLACK_MS = 5 * 60_000;

const catchmentQuery = z
  .object({
    prefix: z.string().trim().min(1).max(64).optional(),
    service: z.string().trim().min(1).max(64).optional(),
    at: z.iso
      .datetime({ offset: true })
      .transform((text) => new Date(text))
      .refine((at) => at.getTime() <= Date.now() + FUTURE_SLACK_MS, "must not be in the future")
      .optional(),
  })
  .refine((query) => (query.prefix === undefined) !== (query.service === undefined), {
    message: "Name either a prefix (`?prefix=192.0.2.0/24` or its id) or a service (`?service=dns`).",
    path: ["prefix"],
  });

// A map is about 1 MB of JSON at 15,000 probes: a few scopes and times are plenty.
const sharedMaps = sharedResults<Uint8Array<ArrayBuffer>>({ ttlMs: mapShareMs, maxKeys: 16 });

/**
 * The catchment of a prefix or service for the map: each probe's latest answer (now, or at
 * or before `at`), the PoPs with their state and share, and the misrouted probes. Every
 * screen asking for the same scope within CATCHMENT_MAP_SHARE_MS gets one computation,
 * serialized and encoded once, and none waits for a recomputation
 * (lib/server/shared-result.ts); the session and role are still checked on each request.
 * (Next.js compresses each response itself and drops a route's own Content-Encoding, so the
 * body cannot be kept compressed.)
 */
export const GET = defineRoute({ role: "viewer", scope: "read", query: catchmentQuery }, async ({ query }) => {
  const key = JSON.stringify([query.prefix ?? null, query.service ?? null, query.at?.toISOString() ?? null]);
  // Kept as UTF-8 bytes: encoding a megabyte string again for every request was a few ms each.
  const body = await sharedMaps(key, async () => new TextEncoder().encode(JSON.stringify(await getCatchmentMap({ prefix: query.prefix, service: query.service }, query.at))));
  return new Response(body, { headers: { "Content-Type": "application/json" } });
});
