// What the console's JSON API answers, by route: the routes declare their handlers with these
// types, and the browser's queries (queries.ts) read with them, so the two cannot drift apart.
// Types only: nothing here runs in the browser or on the server.
import type { Place } from "@/lib/domain/placement/city-search";
import type { CatchmentHistory } from "@/lib/server/catchment/get-catchment-history";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";
import type { OperationPreview } from "@/lib/server/operations/preview-operation";
import type { TrafficPoint } from "@/lib/server/traffic/get-traffic";

/** GET /api/v1/catchment */
export type CatchmentResponse = CatchmentMap;
/** GET /api/v1/catchment/history: `filter` names the prefix or service. */
export type CatchmentHistoryResponse = CatchmentHistory & { filter: string };
/** GET /api/v1/traffic */
export type TrafficResponse = { points: TrafficPoint[] };
/** GET /api/v1/operations/preview */
export type OperationPreviewResponse = OperationPreview;
/** GET /api/v1/placement/cities */
export type CitiesResponse = { cities: Place[] };
