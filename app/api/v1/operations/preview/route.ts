import type { OperationPreviewResponse } from "@/lib/api/responses";
import { previewInput } from "@/lib/domain/operations/operation-input";
import { db } from "@/lib/server/db/client";
import { previewOperation } from "@/lib/server/operations/preview-operation";
import { defineRoute } from "@/lib/server/route";

/**
 * What a drain, withdraw or restore would do, without doing it: the plan, the safety verdict and
 * the capacity estimate with the catchment model's evidence. The confirm dialog asks this as the
 * operator changes the prepends or the prefixes; nothing is recorded.
 * `?kind=drain&popCodes=AMS1,FRA1[&prefixIds=1,2][&prependCount=3]`.
 */
export const GET = defineRoute({ role: "operator", scope: "read", query: previewInput }, async ({ query }): Promise<OperationPreviewResponse> =>
  previewOperation(db, { ...query, reason: "", ticket: null, confirmCode: null, overrideReason: null }),
);
