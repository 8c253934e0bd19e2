// `npm run bench:rpki`: generates about 500,000 VRPs (Routinator JSON, five trust anchors, 80 %
// IPv4), imports them through the console's own import path (parse, dry run, digest-checked
// apply in one transaction) into an embedded Postgres, then times validating every
// announcement of a 300-PoP, 100-prefix fleet against them.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cidr } from "../lib/domain/cidr";
import { effectiveVrps } from "../lib/domain/roas/roa-import";
import { VrpIndex } from "../lib/domain/roas/vrp-index";
import { toRoutinatorJson } from "../lib/domain/roas/vrp-export";
import { startEmbeddedPostgres } from "../lib/server/db/embedded-postgres";
import { applyMigrations } from "../lib/server/db/migrate";
import { createDbClient } from "../lib/server/db/create-client";
import { percentile } from "../test/support/console-process";

const VRPS = Number(process.env.BENCH_VRPS ?? 500_000);
const POPS = 300;
const PREFIXES = 100;
const RUNS = 10;
const TAS = ["ripe", "arin", "apnic", "lacnic", "afrinic"];

const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-rpki-"));
const postgres = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: Number(process.env.BENCH_PG_PORT ?? 25490), persistent: false });
process.env.DATABASE_URL = postgres.url;
process.env.LOG_LEVEL = "error";
await applyMigrations(postgres.url);
const { previewImport, applyImport } = await import("../lib/server/rpki/import-roas");
const { getPrefixValidity } = await import("../lib/server/rpki/get-prefix-validity");
const { loadStoredRoas, loadFilters, listFleetRoutes } = await import("../lib/server/rpki/rpki-store");
const db = createDbClient(postgres.url);

const ms = (start: number) => performance.now() - start;
const fmt = (value: number) => `${value.toFixed(0)} ms`;

/** Distinct VRPs: IPv4 /16-/24 under 1.0.0.0-223.255.255.255, IPv6 /32-/48 under 2000::/3. */
function generateVrps(count: number) {
  const vrps: { prefix: string; maxLength: number; asn: number; source: string }[] = [];
  for (let i = 0; i < count; i++) {
    const source = TAS[i % TAS.length]!;
    const asn = 1000 + ((i * 7919) % 400_000);
    if (i % 5 !== 4) {
      // IPv4: /24s walking the space from 11.0.0.0, a /20 and a /16 now and then with a maxLength.
      const n = Math.floor((i * 4) / 5);
      const a = 11 + Math.floor(n / 65536);
      const b = Math.floor(n / 256) % 256;
      const c = n % 256;
      if (n % 97 === 0) vrps.push({ prefix: `${a}.${b}.0.0/16`, maxLength: 24, asn, source });
      else if (n % 13 === 0) vrps.push({ prefix: `${a}.${b}.${c & 0xf0}.0/20`, maxLength: 20 + (n % 5), asn, source });
      else vrps.push({ prefix: `${a}.${b}.${c}.0/24`, maxLength: 24, asn, source });
    } else {
      const n = Math.floor(i / 5);
      vrps.push({ prefix: `2a${(n >> 16).toString(16).padStart(2, "0")}:${(n & 0xffff).toString(16)}::/32`, maxLength: 48, asn, source });
    }
  }
  return vrps;
}

try {
  // The fleet: 300 PoPs each announcing 100 prefixes (30,000 announcements). Half the prefixes
  // sit inside the generated space, so validation finds covering VRPs for them.
  const user = await db.user.create({ data: { username: "bench", name: "Bench", role: "admin" } });
  const pops = await db.pop.createManyAndReturn({
    data: Array.from({ length: POPS }, (_, i) => ({ code: `B${String.fromCharCode(65 + Math.floor(i / 26) % 26)}${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 676) + 1}`, name: `bench ${i}`, city: "x", country: "NL", latitude: 0, longitude: 0, region: "europe" as const, capacityGbps: 100 })),
  });
  const prefixes = await db.prefix.createManyAndReturn({
    data: Array.from({ length: PREFIXES }, (_, i) =>
      i % 2 === 0
        ? { cidr: `11.${i}.${i}.0/24`, family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 1 }
        : { cidr: `2a00:${i.toString(16)}:${i.toString(16)}::/48`, family: 6, length: 48, originAsn: 64500n, service: "cdn", safetyFloor: 1 },
    ),
  });
  await db.announcement.createMany({ data: pops.flatMap((pop) => prefixes.map((prefix) => ({ popId: pop.id, prefixId: prefix.id }))) });
  const actor = { id: user.id, name: "bench" };

  let started = performance.now();
  const text = toRoutinatorJson(generateVrps(VRPS), [], new Date());
  console.log(`generated ${VRPS.toLocaleString("en")} VRPs as Routinator JSON (${(text.length / 1e6).toFixed(1)} MB) in ${fmt(ms(started))}`);

  const options = { text, defaultSource: "import" };
  started = performance.now();
  const preview = await previewImport(db, options);
  const dryRun = ms(started);
  started = performance.now();
  const applied = await applyImport(db, options, preview.basisDigest, actor, null);
  const apply = ms(started);
  console.log(`import into an empty table: dry run ${fmt(dryRun)}, apply ${fmt(apply)} (${applied.added.toLocaleString("en")} ROAs added, ${preview.validityChanges.length} of ${PREFIXES} prefixes change validity)`);
  console.log(`  import rate: ${Math.round(applied.added / ((dryRun + apply) / 1000)).toLocaleString("en")} VRPs/s through dry run + apply, ${Math.round(applied.added / (apply / 1000)).toLocaleString("en")} VRPs/s for the apply alone`);

  started = performance.now();
  const again = await previewImport(db, options);
  const reDry = ms(started);
  started = performance.now();
  await applyImport(db, options, again.basisDigest, actor, null);
  console.log(`re-import of the same set (nothing changes): dry run ${fmt(reDry)}, apply ${fmt(ms(started))}`);

  const announcements = await db.announcement.findMany({ select: { prefix: { select: { cidr: true, originAsn: true } } } });

  // What the console does on every page and operation: read only the VRPs covering the fleet's prefixes, then validate.
  const fleetRuns: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    started = performance.now();
    await getPrefixValidity(db);
    if (run > 0) fleetRuns.push(ms(started));
  }
  console.log(`validate the fleet (${PREFIXES} prefixes, ${announcements.length.toLocaleString("en")} announcements) against ${VRPS.toLocaleString("en")} VRPs, covering VRPs read from Postgres: p50 ${fmt(percentile(fleetRuns, 50))}, p95 ${fmt(percentile(fleetRuns, 95))} over ${RUNS} runs`);

  // With the whole set loaded and indexed in memory (the /rpki page and an import's dry run do this).
  started = performance.now();
  const [stored, filters] = await Promise.all([loadStoredRoas(db), loadFilters(db)]);
  const load = ms(started);
  started = performance.now();
  const index = new VrpIndex(effectiveVrps(stored, filters, new Date()).vrps);
  const build = ms(started);
  const validateRuns: number[] = [];
  const counts: Record<string, number> = {};
  for (let run = 0; run <= RUNS; run++) {
    started = performance.now();
    for (const announcement of announcements) {
      const validity = index.validate(cidr(announcement.prefix.cidr), Number(announcement.prefix.originAsn)).validity;
      if (run === 0) counts[validity] = (counts[validity] ?? 0) + 1;
    }
    if (run > 0) validateRuns.push(ms(started));
  }
  console.log(`whole set in memory: load ${stored.length.toLocaleString("en")} ROAs ${fmt(load)}, build the index ${fmt(build)}; validate all ${announcements.length.toLocaleString("en")} announcements one by one: p50 ${fmt(percentile(validateRuns, 50))}, p95 ${fmt(percentile(validateRuns, 95))} (${JSON.stringify(counts)})`);
  const routes = await listFleetRoutes(db);
  console.log(`  (${routes.filter((route) => route.pops > 0).length} distinct routes in the table)`);
} finally {
  await db.$disconnect();
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
