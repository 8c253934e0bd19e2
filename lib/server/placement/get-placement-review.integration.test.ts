import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoFleet } from "@/prisma/seed";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { prefixData } from "@/test/support/factories";

// The placement review read from a database holding the demo fleet, as /placement reads it.
let test: TestDatabase;
let review: typeof import("./get-placement-review");

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  const result = await seedDemoFleet(test.db, { now: new Date() });
  if (!result.seeded) throw new Error("not seeded");
  review = await import("./get-placement-review");
}, 120_000);
afterAll(() => test.drop());

describe("the placement review from the database", () => {
  it("flags FRA1 in the N-1 table: its loss at the 7-day peak pushes AMS1 and CDG1 over 85 %", async () => {
    const rows = await review.getNMinusOne(test.db);
    expect(rows).toHaveLength(20);
    const fra1 = rows.find((row) => row.code === "FRA1")!;
    expect(fra1.breaks).toBe(true);
    expect(fra1.overLimit.map((load) => load.code)).toEqual(expect.arrayContaining(["AMS1", "CDG1"]));
    // Worst first: every row that breaks comes before every row that holds.
    expect(rows.findIndex((row) => !row.breaks)).toBeGreaterThan(rows.findLastIndex((row) => row.breaks));
  });

  it("gives the service quality of a prefix by region, and refuses an unknown prefix by name", async () => {
    const { prefix } = await review.choosePrefix(test.db, "192.0.2.0/24");
    const quality = await review.getServiceQuality(test.db, prefix!.id);
    expect(quality.overall.probes).toBeGreaterThan(2000);
    expect(quality.overall.p50Ms).toBeLessThan(quality.overall.p90Ms!);
    expect(quality.regions.map((region) => region.key).sort()).toEqual(["africa", "asia", "europe", "middle_east", "north_america", "oceania", "south_america"]);
    expect(quality.probes.length).toBe(quality.overall.probes);
    await expect(review.choosePrefix(test.db, "203.0.113.0/24")).rejects.toMatchObject({ code: "not_found", message: "There is no prefix 203.0.113.0/24." });
  });

  it("streams its recommendation: progress lines up to the total, then the ranking and the removal costs", async () => {
    const stream = await review.streamRecommendations(test.db, { k: 2, objective: "traffic-p90" });
    const text = await new Response(stream).text();
    const lines = text.trim().split("\n").map((line) => JSON.parse(line) as { progress?: { done: number; total: number }; result?: { sets: unknown[]; removals: unknown[]; candidates: number } });
    const progress = lines.flatMap((line) => (line.progress ? [line.progress] : []));
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toEqual({ done: 2000, total: 2000 });
    const result = lines.at(-1)!.result!;
    expect(result).toMatchObject({ candidates: 1000 });
    expect(result.sets).toHaveLength(10);
    expect(result.removals).toHaveLength(20);
    await expect(review.streamRecommendations(test.db, { k: 1, objective: "traffic-p90", cities: ["Atlantis, ZZ"] })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("shares one built model between requests for a while; a review asked as of a time builds its own", async () => {
    const before = (await review.getNMinusOne(test.db)).find((row) => row.code === "FRA1")!;
    // AMS1 gets ten times its capacity: FRA1's loss no longer pushes it over 85 %.
    const ams1 = await test.db.pop.findUniqueOrThrow({ where: { code: "AMS1" } });
    await test.db.pop.update({ where: { id: ams1.id }, data: { capacityGbps: ams1.capacityGbps * 10 } });
    try {
      const shared = (await review.getNMinusOne(test.db)).find((row) => row.code === "FRA1")!;
      expect(shared.overLimit).toEqual(before.overLimit);
      const fresh = (await review.getNMinusOne(test.db, new Date())).find((row) => row.code === "FRA1")!;
      expect(fresh.overLimit.map((load) => load.code)).not.toContain("AMS1");
    } finally {
      await test.db.pop.update({ where: { id: ams1.id }, data: { capacityGbps: ams1.capacityGbps } });
    }
  });

  it("reviews a prefix added since the shared model was built, instead of failing", async () => {
    await review.getNMinusOne(test.db);
    const added = await test.db.prefix.create({ data: prefixData("203.0.113.0/24") });
    try {
      const stream = await review.streamRecommendations(test.db, { prefix: "203.0.113.0/24", k: 1, objective: "traffic-p90", cities: ["Nairobi, KE"] });
      const last = JSON.parse((await new Response(stream).text()).trim().split("\n").at(-1)!) as { result?: { prefix: string }; error?: unknown };
      expect(last.error).toBeUndefined();
      expect(last.result).toMatchObject({ candidates: 1 });
    } finally {
      await test.db.prefix.delete({ where: { id: added.id } });
    }
  });
});
