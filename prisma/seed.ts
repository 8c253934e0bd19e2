// Seeds the demo fleet into an empty database: `npm start` does it on the embedded
// Postgres, `tsx prisma/seed.ts [--pops N] [--probes N] [--now ISO]` into DATABASE_URL.
// It never writes into a database that already holds a PoP or a user.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_DEMO_SEED, generateDemoFleet, type DemoFleet } from "../lib/demo/fleet";
import { DEMO_USERS } from "../lib/demo/users";
import { hashPassword } from "../lib/server/auth/password";
import { createDbClient, type Db, type Tx } from "../lib/server/db/create-client";
import { BULK_CHUNK, chunks } from "../lib/server/db/bulk";
import { regionOfCountry } from "../lib/domain/regions";

export type DemoSeedOptions = {
  /** The fleet's "now": the last measurement and traffic sample are at or just before it. */
  now?: Date;
  seed?: number;
  popCount?: number;
  probeCount?: number;
  /** Simulated agents listen on 127.0.0.1 from this port up, one per PoP in fleet order. */
  agentBasePort?: number;
};

export type DemoSeedSummary = {
  seed: number;
  now: string;
  pops: number;
  upstreams: number;
  prefixes: number;
  roas: number;
  announcements: number;
  probes: number;
  measurements: number;
  trafficSamples: number;
  users: number;
  durationMs: number;
};

export type DemoSeedResult = { seeded: true; summary: DemoSeedSummary } | { seeded: false };

export const DEFAULT_AGENT_BASE_PORT = 21100;

// Two starters seeding at once: the second waits, then finds the data and leaves it.
const SEED_LOCK = 72707370;

async function isEmpty(db: Db | Tx): Promise<boolean> {
  const [pops, users] = await Promise.all([db.pop.count(), db.user.count()]);
  return pops === 0 && users === 0;
}

/** Seeds the demo fleet when the database holds no PoP and no user; otherwise writes nothing. */
export async function seedDemoFleet(db: Db, options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const started = performance.now();
  if (!(await isEmpty(db))) return { seeded: false };

  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const fleet = generateDemoFleet({ seed, now: options.now ?? new Date(), popCount: options.popCount, probeCount: options.probeCount });
  const basePort = options.agentBasePort ?? DEFAULT_AGENT_BASE_PORT;
  const users = await Promise.all(
    DEMO_USERS.map(async (user) => ({
      username: user.username,
      name: user.name,
      role: user.role,
      passwordHash: await hashPassword(user.password),
    })),
  );

  const written = await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK})`;
      if (!(await isEmpty(tx))) return false;
      await writeFleet(tx, fleet, basePort);
      await tx.user.createMany({ data: users });
      await tx.auditEvent.create({
        data: {
          actorName: "system",
          action: "demo.seed",
          targetType: "fleet",
          detail: { seed, now: fleet.now.toISOString(), pops: fleet.pops.length, probes: fleet.probes.length },
        },
      });
      return true;
    },
    { maxWait: 60_000, timeout: 10 * 60_000 },
  );
  if (!written) return { seeded: false };

  return {
    seeded: true,
    summary: {
      seed,
      now: fleet.now.toISOString(),
      pops: fleet.pops.length,
      upstreams: fleet.pops.reduce((sum, pop) => sum + pop.upstreams.length, 0),
      prefixes: fleet.prefixes.length,
      roas: fleet.roas.length,
      announcements: fleet.announcements.length,
      probes: fleet.probes.length,
      measurements: fleet.measurements.length,
      trafficSamples: fleet.trafficSamples.length,
      users: users.length,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

async function writeFleet(tx: Tx, fleet: DemoFleet, basePort: number) {
  const pops = await tx.pop.createManyAndReturn({
    data: fleet.pops.map((pop, index) => ({
      code: pop.code,
      name: pop.name,
      city: pop.city,
      country: pop.country,
      latitude: pop.latitude,
      longitude: pop.longitude,
      region: pop.region,
      capacityGbps: pop.capacityGbps,
      status: pop.status,
      tags: pop.tags,
      identities: pop.identities,
      agentUrl: `http://127.0.0.1:${basePort + index}`,
      // Random, not from the seed: a demo fleet's agents must not be drivable by anyone who knows the seed.
      agentSecret: randomBytes(32).toString("hex"),
      simulated: true,
    })),
    select: { id: true, code: true },
  });
  const popIds = idsInOrder(pops, fleet.pops, (row) => row.code, (pop) => pop.code);

  await tx.upstream.createMany({
    data: fleet.pops.flatMap((pop, index) =>
      pop.upstreams.map((upstream) => ({
        popId: popIds[index]!,
        name: upstream.name,
        kind: upstream.kind,
        peerAsn: BigInt(upstream.peerAsn),
        peerAddress: upstream.peerAddress,
        state: upstream.state,
        stateSince: upstream.stateSince,
        prefixesSent: upstream.prefixesSent,
        prefixesReceived: upstream.prefixesReceived,
      })),
    ),
  });

  const prefixes = await tx.prefix.createManyAndReturn({
    data: fleet.prefixes.map((prefix) => ({ ...prefix, originAsn: BigInt(prefix.originAsn) })),
    select: { id: true, cidr: true },
  });
  const prefixIds = idsInOrder(prefixes, fleet.prefixes, (row) => row.cidr, (prefix) => prefix.cidr);

  await tx.roa.createMany({ data: fleet.roas.map((roa) => ({ ...roa, asn: BigInt(roa.asn) })) });

  await tx.announcement.createMany({
    data: fleet.announcements.map((announcement) => ({
      popId: popIds[announcement.popIndex]!,
      prefixId: prefixIds[announcement.prefixIndex]!,
      desiredState: announcement.desiredState,
      desiredSince: announcement.desiredSince,
      observedState: announcement.observedState,
      observedPrepend: 0,
      observedAt: announcement.observedAt,
    })),
  });

  // Bulk rows go in as arrays through INSERT ... SELECT FROM unnest(...): one statement
  // per chunk instead of one bind parameter per value. Timestamps travel as epoch
  // milliseconds: the columns are UTC `timestamp(3)`, and to_timestamp(...) AT TIME ZONE
  // 'UTC' keeps them UTC whatever the session's time zone.
  const probeIds: number[] = [];
  for (const chunk of chunks(fleet.probes, BULK_CHUNK)) {
    const rows = await tx.$queryRaw<{ id: number; external_id: string }[]>`
      INSERT INTO "probe" ("source", "external_id", "latitude", "longitude", "country", "region", "city", "asn_v4", "asn_v6")
      SELECT 'simulated'::"ProbeSource", external_id, latitude, longitude, country, region::"Region", city, asn_v4, asn_v6
      FROM unnest(
        ${chunk.map((p) => p.externalId)}::text[],
        ${chunk.map((p) => p.latitude)}::float8[],
        ${chunk.map((p) => p.longitude)}::float8[],
        ${chunk.map((p) => p.country)}::text[],
        ${chunk.map((p) => regionOfCountry(p.country) ?? null)}::text[],
        ${chunk.map((p) => p.city)}::text[],
        ${chunk.map((p) => p.asnV4)}::int8[],
        ${chunk.map((p) => p.asnV6)}::int8[]
      ) AS rows(external_id, latitude, longitude, country, region, city, asn_v4, asn_v6)
      RETURNING "id", "external_id"`;
    probeIds.push(...idsInOrder(rows, chunk, (row) => row.external_id, (probe) => probe.externalId));
  }

  await bulkLoad(tx, "measurement", async () => {
    for (const chunk of chunks(fleet.measurements, BULK_CHUNK)) {
      await tx.$executeRaw`
        INSERT INTO "measurement" ("probe_id", "prefix_id", "pop_id", "answer", "rtt_ms", "measured_at")
        SELECT probe_id, prefix_id, pop_id, answer, rtt_ms, to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC'
        FROM unnest(
          ${chunk.map((m) => probeIds[m.probeIndex]!)}::int4[],
          ${chunk.map((m) => prefixIds[m.prefixIndex]!)}::int4[],
          ${chunk.map((m) => popIds[m.popIndex]!)}::int4[],
          ${chunk.map((m) => m.answer)}::text[],
          ${chunk.map((m) => m.rttMs)}::float8[],
          ${chunk.map((m) => m.measuredAt.getTime())}::float8[]
        ) AS rows(probe_id, prefix_id, pop_id, answer, rtt_ms, at_ms)`;
    }
  });
  await bulkLoad(tx, "traffic_sample", async () => {
    for (const chunk of chunks(fleet.trafficSamples, BULK_CHUNK)) {
      await tx.$executeRaw`
        INSERT INTO "traffic_sample" ("pop_id", "at", "bps", "pps", "simulated")
        SELECT pop_id, to_timestamp(at_ms / 1000.0) AT TIME ZONE 'UTC', bps, pps, true
        FROM unnest(
          ${chunk.map((s) => popIds[s.popIndex]!)}::int4[],
          ${chunk.map((s) => s.at.getTime())}::float8[],
          ${chunk.map((s) => s.bps)}::float8[],
          ${chunk.map((s) => s.pps)}::float8[]
        ) AS rows(pop_id, at_ms, bps, pps)`;
    }
  });
}

/**
 * Fills an empty table with its foreign keys and secondary indexes set aside, then puts
 * them back exactly as they were (definitions read from the catalog) and so checks every
 * row at once: Postgres's advice for populating a database, and several times faster than
 * a per-row foreign-key check. Inside the caller's transaction, so a failure restores all.
 */
async function bulkLoad(tx: Tx, table: "measurement" | "traffic_sample", load: () => Promise<void>) {
  const foreignKeys = await tx.$queryRaw<{ name: string; definition: string }[]>`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE conrelid = ${table}::regclass AND contype = 'f' ORDER BY conname`;
  const indexes = await tx.$queryRaw<{ name: string; definition: string }[]>`
    SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition
    FROM pg_index WHERE indrelid = ${table}::regclass AND NOT indisprimary ORDER BY 1`;
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  for (const key of foreignKeys) await tx.$executeRawUnsafe(`ALTER TABLE ${quoted(table)} DROP CONSTRAINT ${quoted(key.name)}`);
  for (const index of indexes) await tx.$executeRawUnsafe(`DROP INDEX ${index.name}`);
  await load();
  for (const index of indexes) await tx.$executeRawUnsafe(index.definition);
  for (const key of foreignKeys) {
    await tx.$executeRawUnsafe(`ALTER TABLE ${quoted(table)} ADD CONSTRAINT ${quoted(key.name)} ${key.definition}`);
  }
}

/** The ids of created rows in the order of the data they were made from (RETURNING order is not promised). */
function idsInOrder<R extends { id: number }, D>(rows: R[], data: readonly D[], rowKey: (row: R) => string, dataKey: (item: D) => string): number[] {
  const byKey = new Map(rows.map((row) => [rowKey(row), row.id]));
  return data.map((item) => {
    const id = byKey.get(dataKey(item));
    if (id === undefined) throw new Error(`Seeding lost the row for ${dataKey(item)}.`);
    return id;
  });
}

async function main() {
  const { values } = parseArgs({
    options: { pops: { type: "string" }, probes: { type: "string" }, now: { type: "string" }, seed: { type: "string" } },
  });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set.");
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const db = createDbClient(url, 2);
  try {
    const result = await seedDemoFleet(db, {
      popCount: number(values.pops),
      probeCount: number(values.probes),
      seed: number(values.seed),
      now: values.now ? new Date(values.now) : undefined,
    });
    if (!result.seeded) {
      console.log("The database already holds PoPs or users: nothing seeded.");
      return;
    }
    console.log(JSON.stringify(result.summary, null, 2));
    console.log("Demo sign-ins (user name / password):");
    for (const user of DEMO_USERS) console.log(`  ${user.username.padEnd(9)} ${user.password.padEnd(20)} (${user.role})`);
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
