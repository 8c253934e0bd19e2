// The demo fleet's users. Their passwords are public on purpose: the start script prints
// them in demo mode and the README lists them. Never seeded outside the demo.
export const DEMO_USERS = [
  { username: "admin", name: "Demo Admin", role: "admin", password: "catchment-admin" },
  { username: "operator", name: "Demo Operator", role: "operator", password: "catchment-operator" },
  { username: "viewer", name: "Demo Viewer", role: "viewer", password: "catchment-viewer" },
] as const;

export type DemoUser = (typeof DEMO_USERS)[number];
