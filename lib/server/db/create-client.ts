// No "server-only" here: scripts (start, seed, benches) and tests create clients too.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export function createDbClient(connectionString: string, poolSize = 10) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: poolSize }),
    // Secrets are left out of every query unless one asks for them by name.
    omit: { pop: { agentSecret: true }, user: { passwordHash: true }, apiToken: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createDbClient>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
