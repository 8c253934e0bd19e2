import { describe, expect, it } from "vitest";
import { labLeftovers, labUnavailableReason, startLab, stopLab } from "./lab";
import { readClientResults } from "./observe";

// The lab comes up and goes down cleanly, three times in a row, leaving no process and no
// namespace behind; a second lab:up on a running lab changes nothing. Lab instance 3.
const unavailable = labUnavailableReason();
if (unavailable) console.warn(`\n!!! LAB CYCLE TEST SKIPPED: ${unavailable} !!!\n`);

describe.skipIf(unavailable !== null)("lab up and down", () => {
  it("three cycles leave nothing behind, and up is idempotent", { timeout: 240_000 }, async () => {
    const instance = 3;
    await stopLab({ instance });
    for (let cycle = 1; cycle <= 3; cycle += 1) {
      const lab = await startLab({ instance, probeIntervalMs: 200 });
      const running = labLeftovers(instance, lab.runDir);
      // 6 transit + 4 PoP BIRDs, 4 agents, 4 responders, 6 probes, 1 reporter; 16 namespaces.
      expect({ processes: running.processes.length, namespaces: running.namespaces.length }).toEqual({ processes: 25, namespaces: 16 });
      expect(lab.clients.every((client) => readClientResults(lab, client.index).some((result) => result.answer !== null))).toBe(true);
      if (cycle === 1) {
        const again = await startLab({ instance, probeIntervalMs: 200 });
        expect(again).toEqual(lab);
        expect(labLeftovers(instance, lab.runDir).processes.sort()).toEqual(running.processes.sort());
      }
      await stopLab({ instance });
      expect(labLeftovers(instance, lab.runDir)).toEqual({ processes: [], namespaces: [] });
    }
  });
});
