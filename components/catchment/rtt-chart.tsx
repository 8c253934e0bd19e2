"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REGION_COLORS } from "@/lib/domain/pop-palette";
import { isRegion, REGION_LABELS } from "@/lib/domain/regions";
import { formatUtcHourMinute, formatUtcLabel } from "@/lib/domain/format";
import { TOOLTIP_STYLE } from "./chart-style";

const label = (region: string) => (isRegion(region) ? REGION_LABELS[region] : "Unknown region");

/** Median RTT of the probes in each region, hour by hour. */
export function RttChart({ regions, points, height = 280 }: { regions: string[]; points: Record<string, number | string>[]; height?: number }) {
  return (
    <figure aria-label="Median RTT per region over time" className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#243040" strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={formatUtcHourMinute} stroke="#8b9bb0" fontSize={12} minTickGap={40} />
          <YAxis tickFormatter={(v: number) => `${v} ms`} stroke="#8b9bb0" fontSize={12} width={56} />
          <Tooltip contentStyle={TOOLTIP_STYLE} labelFormatter={(value) => formatUtcLabel(String(value))} formatter={(value, name) => [`${value} ms`, name]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {regions.map((region) => (
            <Line
              key={region}
              type="monotone"
              dataKey={region}
              name={label(region)}
              stroke={isRegion(region) ? REGION_COLORS[region] : REGION_COLORS.unknown}
              dot={false}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
