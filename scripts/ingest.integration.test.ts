import { rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runToEnd } from "@/test/support/run-to-end";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

let test: TestDatabase;

beforeAll(async () => {
  test = await createTestDatabase();
  await test.db.prefix.create({ data: prefixData("192.0.2.0/24") });
  await test.db.pop.create({
    data: popData("AMS1", { city: "Amsterdam", latitude: 52.4, longitude: 4.9, capacityGbps: 10, identities: ["ams1.ns.example"] }),
  });
});
const written: string[] = [];
afterAll(async () => {
  for (const where of written) rmSync(where, { force: true });
  await test.drop();
});

const ingest = (args: string[]) => runToEnd(process.execPath, ["--import", "tsx", "scripts/ingest.ts", ...args], { env: { ...process.env, DATABASE_URL: test.consoleUrl } });

function file(name: string, text: string): string {
  const where = path.join(os.tmpdir(), `catchment-ingest-${process.pid}-${name}`);
  writeFileSync(where, text);
  written.push(where);
  return where;
}

describe("npm run ingest, storing", { timeout: 60_000 }, () => {
  it("stores a file once: a second run writes nothing; a file with nothing storable is exit 1", async () => {
    const csv = file("good.csv", "probe_id,lat,lon,answer,rtt_ms,timestamp\nc1,52.1,4.9,ams1.ns.example,7.5,1764064800\nc2,,,ams1.ns.example,8,1764064800\n");
    const first = await ingest(["--json", csv]);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ dryRun: false, written: 1, alreadyStored: 0, issueCount: 1, perPop: { AMS1: 1 } });

    const second = await ingest([csv]);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^0 measurements written, 1 already stored/m);
    expect(await test.db.measurement.count()).toBe(1);

    const bad = await ingest([file("bad.csv", "probe_id,lat,lon,answer,rtt_ms,timestamp\nc9,,,ams1.ns.example,8,1764064800\n")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/record 1: probe c9 is unknown/);
    expect(await test.db.probe.count()).toBe(1);
  });
});
