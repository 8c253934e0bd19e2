import { describe, expect, it } from "vitest";
import { nMinusOneCsv, scenarioCsv } from "./csv";
import type { NMinusOneRow } from "./n-minus-one";

const row: NMinusOneRow = {
  popId: 1,
  code: "FRA1",
  movedProbes: 120,
  stranded: 0,
  movedBy: { observed: 100, inferred: 15, fallback: 5 },
  receivers: [{ popId: 2, code: "AMS1", currentBps: 50e9, predictedBps: 132e9, capacityBps: 100e9, probes: 80 }],
  highest: { code: "AMS1", utilisation: 1.32 },
  overLimit: [{ code: "AMS1", utilisation: 1.32 }],
  floorBreach: null,
  breaks: true,
};

describe("placement CSV", () => {
  it("writes the N-1 table with a header and one record per PoP", () => {
    const lines = nMinusOneCsv([row]).split("\r\n");
    expect(lines[0]).toBe("pop_lost,breaks,over_85_percent,floor_breach,stranded_answers,highest_pop,highest_utilisation,receivers,moved_answers,moved_observed,moved_inferred,moved_fallback");
    expect(lines[1]).toBe("FRA1,yes,AMS1 132%,,0,AMS1,1.32,AMS1 132/100 Gbps,120,100,15,5");
  });

  it("writes a scenario's regions and loads, a name that looks like a formula defused", () => {
    const csv = scenarioCsv("=Nairobi", "192.0.2.0/24", {
      movedProbes: 41,
      stranded: 0,
      movedBy: { observed: 0, inferred: 1, fallback: 40 },
      regions: [{ region: "africa", probes: 300, before: { p50Ms: 20, p90Ms: 44.2 }, after: { p50Ms: 18, p90Ms: 39.04 } }],
      loads: [{ popId: -1, code: "Nairobi (new)", capacityBps: 40e9, beforeBps: 0, afterBps: 5e9, candidate: true }],
      catchment: [],
    });
    expect(csv).toContain("scenario,'=Nairobi\r\n");
    expect(csv).toContain("africa,300,20,18,44.2,39\r\n");
    expect(csv).toContain("Nairobi (new),yes,40,0,5,0.125\r\n");
  });
});
