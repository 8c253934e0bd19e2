// Formats for operators: bits per second in SI units, shares as percentages, times in UTC.
export function formatBps(bps: number): string {
  const units = ["bps", "kbps", "Mbps", "Gbps", "Tbps"];
  let value = bps;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatPercent(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A time as operators read it in tables: `2026-11-26 10:30:05`, in UTC. */
export function formatUtc(date: Date): string {
  return date.toISOString().replace("T", " ").slice(0, 19);
}

/** A chart's time axis: `10:30`, in UTC like every other time in the console. */
export function formatUtcHourMinute(at: string | Date): string {
  return new Date(at).toISOString().slice(11, 16);
}

/** A chart's tooltip: `2026-11-26 10:30 UTC`. */
export function formatUtcLabel(at: string | Date): string {
  return `${new Date(at).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

export function formatAsn(asn: number | bigint): string {
  return `AS${asn}`;
}
