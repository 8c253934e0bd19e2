import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { loadPopPeaks } from "./load-pop-peaks";
import { popData } from "@/test/support/factories";

let test: TestDatabase;
const NOW = new Date("2026-12-05T12:00:00Z");
const ago = (days: number, minutes = 0) => new Date(NOW.getTime() - days * 86_400_000 - minutes * 60_000);

beforeAll(async () => {
  test = await createTestDatabase();
  const pop = (code: string, status: "active" | "decommissioned" = "active") =>
    test.db.pop.create({ data: popData(code, { city: code, country: "DE", latitude: 50, longitude: 8, status }) });
  const [busy] = await Promise.all([pop("AAA1"), pop("BBB1"), pop("OLD1", "decommissioned")]);
  await test.db.trafficSample.createMany({
    data: [
      { popId: busy.id, at: ago(8), bps: 90e9, pps: 1 },
      { popId: busy.id, at: ago(40), bps: 99e9, pps: 1 },
      // Two samples in one 5-minute bucket: their average, not the spike.
      { popId: busy.id, at: ago(2, 1), bps: 70e9, pps: 1 },
      { popId: busy.id, at: ago(2, 2), bps: 30e9, pps: 1 },
      { popId: busy.id, at: ago(3), bps: 45e9, pps: 1 },
    ],
  });
});
afterAll(() => test.drop());

describe("loadPopPeaks", () => {
  it("gives each PoP's peak 5-minute traffic over 7 and 30 days, without decommissioned PoPs", async () => {
    const peaks = await loadPopPeaks(test.db, NOW);
    expect(peaks.map((p) => p.code)).toEqual(["AAA1", "BBB1"]);
    const [busy, idle] = peaks;
    expect(busy).toMatchObject({ capacityBps: 100e9, peak7d: { bps: 50e9 }, peak30d: { bps: 90e9, at: ago(8) } });
    expect(idle).toMatchObject({ peak7d: null, peak30d: null });
  });
});
