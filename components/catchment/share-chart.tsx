"use client";

import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { popColor, UNMATCHED_COLOR } from "@/lib/domain/pop-palette";
import { shareKey, type ShareSeries } from "@/lib/domain/catchment/history";
import { formatUtcHourMinute, formatUtcLabel } from "@/lib/domain/format";
import { TOOLTIP_STYLE } from "./chart-style";

/** Catchment share per PoP, hour by hour, stacked to 100 %. */
export function ShareChart({ series, height = 280 }: { series: ShareSeries; height?: number }) {
  return (
    <figure aria-label="Catchment share per PoP over time" className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={series.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#243040" strokeDasharray="3 3" />
          <XAxis dataKey="at" tickFormatter={formatUtcHourMinute} stroke="#8b9bb0" fontSize={12} minTickGap={40} />
          <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)} %`} stroke="#8b9bb0" fontSize={12} width={48} domain={[0, 1]} />
          <Tooltip
            contentStyle={TOOLTIP_STYLE}
            labelFormatter={(value) => formatUtcLabel(String(value))}
            formatter={(value, name) => [`${(Number(value) * 100).toFixed(1)} %`, name]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.keys.map((key) => (
            <Area
              key={shareKey(key.popId)}
              type="monotone"
              dataKey={shareKey(key.popId)}
              name={key.label}
              stackId="share"
              stroke={key.popId === null ? UNMATCHED_COLOR : popColor(key.popId)}
              fill={key.popId === null ? UNMATCHED_COLOR : popColor(key.popId)}
              fillOpacity={0.75}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
