import { z } from "zod";
import { sharedCatchmentMapJson } from "@/lib/server/catchment/shared-catchment-map";
import { defineRoute } from "@/lib/server/route";

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

/**
 * The catchment of a prefix or service for the map: each probe's latest answer (now, or at
 * or before `at`), the PoPs with their state and share, and the misrouted probes. Shared
 * between the screens that ask within CATCHMENT_MAP_SHARE_MS
 * (lib/server/catchment/shared-catchment-map.ts); the session and role are still checked on
 * each request. (Next.js compresses each response itself and drops a route's own
 * Content-Encoding, so the body cannot be kept compressed.)
 */
export const GET = defineRoute({ role: "viewer", scope: "read", query: catchmentQuery }, async ({ query }) => {
  // The body is a CatchmentResponse (lib/api/responses.ts), serialized once for every screen that shares it.
  const body = await sharedCatchmentMapJson({ prefix: query.prefix, service: query.service }, query.at);
  return new Response(body, { headers: { "Content-Type": "application/json" } });
});
