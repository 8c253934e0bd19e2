import "server-only";
import type { Db, Tx } from "../db/create-client";
import { config } from "@/lib/config";

/** Whether simulated probes (the demo fleet's) feed the catchment views: the UI says so. */
export async function hasSimulatedProbes(db: Db | Tx): Promise<boolean> {
  return (await db.probe.findFirst({ where: { source: "simulated" }, select: { id: true } })) !== null;
}

/** The prefixes and services a catchment view can be filtered by. */
export async function listPrefixChoices(db: Db | Tx) {
  const prefixes = await db.prefix.findMany({ select: { id: true, cidr: true, service: true }, orderBy: [{ service: "asc" }, { cidr: "asc" }] });
  return { prefixes, services: [...new Set(prefixes.map((p) => p.service))] };
}

/** How often the live catchment views poll, in ms (CATCHMENT_REFRESH_MS). */
export function refreshIntervalMs(): number {
  return config().CATCHMENT_REFRESH_MS;
}

/**
 * How long one computed catchment map is served to every screen that asks for the same
 * scope, in ms (CATCHMENT_MAP_SHARE_MS; 0 shares only a computation still running; see
 * lib/server/shared-result.ts for the background refresh up to twice that). Short against
 * the refresh interval and the probes' own cadence (minutes), so no screen shows anything
 * much older than it would have by polling a little earlier.
 */
export function mapShareMs(): number {
  return config().CATCHMENT_MAP_SHARE_MS;
}
