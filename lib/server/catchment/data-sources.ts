import "server-only";
import { db } from "../db/client";

/** Whether simulated probes (the demo fleet's) feed the catchment views: the UI says so. */
export async function hasSimulatedProbes(): Promise<boolean> {
  return (await db.probe.findFirst({ where: { source: "simulated" }, select: { id: true } })) !== null;
}

/** The prefixes and services a catchment view can be filtered by. */
export async function listPrefixChoices() {
  const prefixes = await db.prefix.findMany({ select: { id: true, cidr: true, service: true }, orderBy: [{ service: "asc" }, { cidr: "asc" }] });
  return { prefixes, services: [...new Set(prefixes.map((p) => p.service))] };
}

/** How often the live catchment views poll, in ms (CATCHMENT_REFRESH_MS). */
export function refreshIntervalMs(): number {
  const value = Number(process.env.CATCHMENT_REFRESH_MS);
  return Number.isFinite(value) && value >= 1000 ? value : 10_000;
}
