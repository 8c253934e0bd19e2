import { NextResponse } from "next/server";
import { db } from "@/lib/server/db/client";
import { assignPrefix } from "@/lib/server/pops/assign-prefix";
import { unassignPrefix } from "@/lib/server/pops/unassign-prefix";
import { defineRoute } from "@/lib/server/route";

// The prefix is the rest of the path, slash included: PUT /api/v1/pops/AMS1/prefixes/192.0.2.0/24.
type Params = { code: string; cidr: string[] };

const cidrOf = (params: Params) => params.cidr.join("/");

/**
 * Assigns a prefix to a PoP, for scripts (an admin's session, or an admin's API token with the
 * `operate` scope): the same function, checks and audit as the PoP page. The announcement
 * starts withdrawn; 201 when assigned now, 200 when it already was.
 */
export const PUT = defineRoute<Params>({ role: "admin", scope: "operate" }, async ({ params, actor, ip }) => {
  const { pop, prefix, announcement, created } = await assignPrefix(db, params.code, cidrOf(params), actor, ip);
  return NextResponse.json(
    { pop: pop.code, prefix: prefix.cidr, desiredState: announcement.desiredState, observedState: announcement.observedState, created },
    { status: created ? 201 : 200 },
  );
});

/** Removes a prefix from a PoP; refused (409, with the reason) unless it is withdrawn. */
export const DELETE = defineRoute<Params>({ role: "admin", scope: "operate" }, async ({ params, actor, ip }) => {
  const { pop, prefix } = await unassignPrefix(db, params.code, cidrOf(params), actor, ip);
  return { pop: pop.code, prefix: prefix.cidr, removed: true };
});
