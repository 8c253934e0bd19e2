"use client";

import { Area, CartesianGrid, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBps, formatUtcHourMinute, formatUtcLabel } from "@/lib/domain/format";

export type TrafficChartPoint = { at: string; bps: number; capacityBps: number };

/** Traffic against capacity, with the 85 % line the drain safety check uses. */
export function TrafficChart({ points, height = 260, label }: { points: TrafficChartPoint[]; height?: number; label: string }) {
  const capacity = points[0]?.capacityBps ?? 0;
  return (
    <figure aria-label={label} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#243040" strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={formatUtcHourMinute} stroke="#8b9bb0" fontSize={12} minTickGap={40} />
          <YAxis tickFormatter={(value: number) => formatBps(value)} stroke="#8b9bb0" fontSize={12} width={72} domain={[0, Math.max(capacity, 1)]} />
          <Tooltip
            contentStyle={{ background: "#121821", border: "1px solid #243040", color: "#e6edf3" }}
            labelFormatter={(value) => formatUtcLabel(String(value))}
            formatter={(value, name) => [formatBps(Number(value)), name === "bps" ? "Traffic" : "Capacity"]}
          />
          <Area type="monotone" dataKey="bps" stroke="#4cc2ff" fill="#4cc2ff" fillOpacity={0.25} isAnimationActive={false} />
          <Line type="stepAfter" dataKey="capacityBps" stroke="#f85149" dot={false} strokeWidth={1.5} isAnimationActive={false} />
          {capacity > 0 && <ReferenceLine y={capacity * 0.85} stroke="#d29922" strokeDasharray="6 4" label={{ value: "85 %", fill: "#d29922", fontSize: 11, position: "insideTopLeft" }} />}
        </ComposedChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">{label}</figcaption>
    </figure>
  );
}
