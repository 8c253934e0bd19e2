export const TOOLTIP_STYLE = { background: "#121821", border: "1px solid #243040", color: "#e6edf3" } as const;

export function hourLabel(at: string): string {
  return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}
