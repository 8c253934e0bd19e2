// The map's own colours, from the theme (app/globals.css): a WebGL style cannot read CSS
// variables. Shared with the e2e tests, which check the canvas's pixels against them.
export const MAP_COLORS = { ocean: "#0b0f14", land: "#1d2734", border: "#2c3a4d", bad: "#f85149" } as const;
