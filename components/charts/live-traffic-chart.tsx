"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/api/fetch-json";
import { TrafficChart, type TrafficChartPoint } from "./traffic-chart";

const REFRESH_MS = 30_000;

async function fetchTraffic(pop: string | undefined): Promise<TrafficChartPoint[]> {
  const body = await fetchJson<{ points: TrafficChartPoint[] }>(`/api/v1/traffic${pop ? `?pop=${encodeURIComponent(pop)}` : ""}`);
  return body.points;
}

/** The traffic chart, fetched in the browser and refreshed every 30 s (a NOC wall stays current). */
export function LiveTrafficChart({ pop, label, height = 260 }: { pop?: string; label: string; height?: number }) {
  const traffic = useQuery({ queryKey: ["traffic", pop ?? "fleet"], queryFn: () => fetchTraffic(pop), refetchInterval: REFRESH_MS });
  if (traffic.isError) return <p className="py-6 text-center text-sm text-bad">Traffic could not be loaded: {traffic.error.message}</p>;
  if (!traffic.data) return <div style={{ height }} className="animate-pulse rounded bg-panel-2" aria-label="Loading traffic" />;
  if (traffic.data.length === 0) return <p className="py-6 text-center text-sm text-muted">No traffic samples yet.</p>;
  return <TrafficChart points={traffic.data} label={label} height={height} />;
}
