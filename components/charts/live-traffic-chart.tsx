"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { TrafficChart, type TrafficChartPoint } from "./traffic-chart";

async function fetchTraffic(pop: string | undefined): Promise<TrafficChartPoint[]> {
  const body = await fetchJson<{ points: TrafficChartPoint[] }>(`/api/v1/traffic${pop ? `?pop=${encodeURIComponent(pop)}` : ""}`);
  return body.points;
}

/** The traffic chart, fetched in the browser and refreshed every `refreshMs` (CATCHMENT_REFRESH_MS: a NOC wall stays current). */
export function LiveTrafficChart({ pop, label, refreshMs, height = 260 }: { pop?: string; label: string; refreshMs: number; height?: number }) {
  const traffic = useQuery({ queryKey: ["traffic", pop ?? "fleet"], queryFn: () => fetchTraffic(pop), refetchInterval: refreshMs });
  if (traffic.isError) return <p className="py-6 text-center text-sm text-bad">Traffic could not be loaded: {traffic.error.message}</p>;
  if (!traffic.data) return <div style={{ height }} className="animate-pulse rounded bg-panel-2" aria-label="Loading traffic" />;
  if (traffic.data.length === 0) return <p className="py-6 text-center text-sm text-muted">No traffic samples yet.</p>;
  return <TrafficChart points={traffic.data} label={label} height={height} />;
}
