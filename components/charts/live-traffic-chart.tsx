"use client";

import { useTraffic } from "@/lib/api/queries";
import { TrafficChart } from "./traffic-chart";

/** The traffic chart, fetched in the browser and refreshed every `refreshMs` (CATCHMENT_REFRESH_MS: a NOC wall stays current). */
export function LiveTrafficChart({ pop, label, refreshMs, height = 260 }: { pop?: string; label: string; refreshMs: number; height?: number }) {
  const traffic = useTraffic(pop, refreshMs);
  if (traffic.isError) return <p className="py-6 text-center text-sm text-bad">Traffic could not be loaded: {traffic.error.message}</p>;
  if (!traffic.data) return <div style={{ height }} className="animate-pulse rounded bg-panel-2" aria-label="Loading traffic" />;
  if (traffic.data.points.length === 0) return <p className="py-6 text-center text-sm text-muted">No traffic samples yet.</p>;
  return <TrafficChart points={traffic.data.points} label={label} height={height} />;
}
