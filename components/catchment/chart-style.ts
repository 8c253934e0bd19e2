export const TOOLTIP_STYLE = { background: "#121821", border: "1px solid #243040", color: "#e6edf3" } as const;

