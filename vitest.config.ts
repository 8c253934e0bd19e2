import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // Outside Next.js the guard package throws on import; tests run server code directly.
  "server-only": path.resolve(import.meta.dirname, "test/support/empty-module.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "agent/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/*.network.test.ts", "node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          // Tests that open sockets on loopback (an agent, an HTTP server, a UDP check target):
          // no database, in parallel, but apart from the pure unit tests.
          name: "network",
          include: ["**/*.network.test.ts"],
          exclude: ["node_modules/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          exclude: ["node_modules/**"],
          globalSetup: ["test/support/global-postgres.ts"],
          testTimeout: 30_000,
          env: { LOG_LEVEL: "error" },
          hookTimeout: 60_000,
          // One Postgres server; each file makes its own database.
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          // Real BGP in network namespaces (lab/README.md): Linux and root; skips loudly elsewhere.
          name: "lab",
          include: ["lab/**/*.lab.test.ts"],
          exclude: ["node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          env: { LOG_LEVEL: "error" },
          fileParallelism: false,
        },
      },
    ],
  },
});
