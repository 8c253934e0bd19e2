// No "server-only" here: scripts (start, seed, benches) and tests create clients too.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

/** `idleTimeoutMs`: how long an unused connection stays open (node-postgres's default: 10 s). */
export function createDbClient(connectionString: string, poolSize = 10, idleTimeoutMs?: number) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: poolSize, idleTimeoutMillis: idleTimeoutMs }),
    // Secrets are left out of every query unless one asks for them by name.
    omit: { pop: { agentSecret: true }, user: { passwordHash: true }, apiToken: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createDbClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
