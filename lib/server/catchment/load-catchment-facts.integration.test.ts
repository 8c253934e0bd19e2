// The catchment model fed from Postgres: the preview of a drain replays where the probes went
// the last time that PoP was drained, from the measurements that followed that operation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationInput } from "@/lib/domain/operations/operation-input";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData, prefixData } from "@/test/support/factories";

let test: TestDatabase;
let modules: {
  previewOperation: typeof import("../operations/preview-operation").previewOperation;
  loadOperationHistory: typeof import("./load-catchment-facts").loadOperationHistory;
  loadAnnouncements: typeof import("../operations/operation-context").loadAnnouncements;
  estimateCapacity: typeof import("../operations/preview-operation").estimateCapacity;
  scoreSettledOperations: typeof import("../operations/score-operations").scoreSettledOperations;
};
let userId = "";
let probeIds: number[] = [];
const ids = { prefix: 0, pops: new Map<string, number>() };
const MINUTE = 60_000;
const t0 = new Date(Date.now() - 3 * 3_600_000);
const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  modules = {
    previewOperation: (await import("../operations/preview-operation")).previewOperation,
    loadOperationHistory: (await import("./load-catchment-facts")).loadOperationHistory,
    loadAnnouncements: (await import("../operations/operation-context")).loadAnnouncements,
    estimateCapacity: (await import("../operations/preview-operation")).estimateCapacity,
    scoreSettledOperations: (await import("../operations/score-operations")).scoreSettledOperations,
  };
  const db = test.db;
  const prefix = await db.prefix.create({ data: prefixData("192.0.2.0/24") });
  await db.roa.create({ data: { prefix: "192.0.2.0/24", family: 4, length: 24, maxLength: 24, asn: 64500n } });
  ids.prefix = prefix.id;
  // PoP 1 at 50° N, PoP 2 a degree north, PoP 3 two: by distance alone, PoP 1's probes go to PoP 2.
  for (const [index, code] of ["AAA1", "BBB1", "CCC1"].entries()) {
    const pop = await db.pop.create({
      data: popData(code, { latitude: 50 + index, upstreams: { create: [{ name: "transit", peerAsn: BigInt(1299 + index), peerAddress: `192.0.2.${index + 1}` }] } }),
    });
    ids.pops.set(code, pop.id);
    await db.announcement.create({ data: { popId: pop.id, prefixId: prefix.id, observedState: "announced" } });
  }
  const [p1, p2, p3] = ["AAA1", "BBB1", "CCC1"].map((code) => ids.pops.get(code)!) as [number, number, number];
  // 30 probes: 10 near PoP 1 (the last 3 in its transit's network), 10 on each other PoP.
  const probes = [];
  for (let i = 0; i < 30; i++) {
    const home = [p1, p2, p3][Math.floor(i / 10)]!;
    const lat = 49.9 + Math.floor(i / 10) + (i % 10) * 0.01;
    probes.push(await db.probe.create({ data: { source: "atlas", externalId: String(1000 + i), latitude: lat, longitude: 5.1, country: "NL", asnV4: i >= 7 && i < 10 ? 1299n : 64512n } }).then((p) => ({ id: p.id, home })));
  }
  const user = await db.user.create({ data: { username: "op", name: "Op", role: "operator" } });
  userId = user.id;
  probeIds = probes.map((probe) => probe.id);
  const operation = async (kind: "drain" | "restore", created: Date, from: string, to: string) =>
    db.operation.create({
      data: {
        kind, status: "succeeded", popId: p1, reason: "test", requestedById: user.id, verdict: {}, createdAt: created, finishedAt: new Date(created.getTime() + 1000),
        plan: [{ popId: p1, prefixId: prefix.id, from, to, prependCount: to === "drained" ? 3 : 0, cidr: "192.0.2.0/24" }],
        steps: { create: [{ popId: p1, prefixId: prefix.id, targetState: to as "drained" | "announced", prependCount: to === "drained" ? 3 : 0, status: "succeeded" }] },
      },
    });
  await operation("drain", at(0), "announced", "drained");
  await operation("restore", at(20), "drained", "announced");
  const measure = (probe: { id: number }, popId: number, when: Date) => ({ probeId: probe.id, prefixId: prefix.id, popId, answer: "x", rttMs: 10, measuredAt: when });
  await db.measurement.createMany({
    data: probes.flatMap((probe, i) => {
      // While drained, 7 of PoP 1's probes went to the far PoP 3; the 3 in its transit's network stayed.
      const whileDrained = probe.home === p1 && i < 7 ? p3 : probe.home;
      return [measure(probe, probe.home, at(-10)), measure(probe, whileDrained, at(7)), measure(probe, probe.home, at(28))];
    }),
  });
  // Stamped in the second the restore started (Atlas stamps whole seconds): it may already show
  // the restore, so it belongs to neither side of either operation.
  await db.measurement.create({ data: measure(probes[0]!, p1, new Date(at(20).getTime() - 400)) });
});

afterAll(async () => {
  await test?.drop();
});

describe("the catchment model in the console", () => {
  it("rebuilds each past operation's states backwards from now, with the answers either side", async () => {
    const now = await modules.loadAnnouncements(test.db, [ids.prefix]);
    const history = (await modules.loadOperationHistory(test.db, [ids.prefix], now)).get(ids.prefix)!;
    const p1 = ids.pops.get("AAA1")!;
    expect(history).toHaveLength(2);
    const [drain, restore] = history;
    expect(drain!.before.find((r) => r.popId === p1)).toEqual({ popId: p1, state: "announced" });
    expect(drain!.after.find((r) => r.popId === p1)).toEqual({ popId: p1, state: "drained", prepends: 3 });
    expect(restore!.before.find((r) => r.popId === p1)).toMatchObject({ state: "drained" });
    expect(drain!.answersBefore).toHaveLength(30);
    expect(drain!.answersAfter.filter((a) => a.popId === ids.pops.get("CCC1")).length).toBe(17);
    expect(restore!.answersBefore.find((a) => a.probeId === probeIds[0])).toMatchObject({ popId: ids.pops.get("CCC1") });
  });

  it("previews a drain of a PoP drained before by replaying where its probes went then", async () => {
    const preview = await modules.previewOperation(test.db, operationInput.parse({ kind: "drain", popCodes: "AAA1", reason: "maintenance" }));
    expect(preview.capacity).toMatchObject({ movedProbes: 7, stranded: 0, movedBy: { observed: 7, inferred: 0, fallback: 0 } });
    expect(preview.capacity.receivers.map((r) => [r.code, r.probes])).toEqual([["CCC1", 7]]);
  });

  it("checks an operation's prediction against the answers measured once it settled, once", async () => {
    const db = test.db;
    const [p1, p3] = [ids.pops.get("AAA1")!, ids.pops.get("CCC1")!];
    const now = await modules.loadAnnouncements(db, [ids.prefix]);
    const steps = [{ popId: p1, prefixId: ids.prefix, from: "announced" as const, to: "drained" as const, prependCount: 3 }];
    const { predictions } = await modules.estimateCapacity(db, steps, now, [ids.prefix]);
    const finished = new Date(Date.now() - 10 * MINUTE);
    const operation = await db.operation.create({
      data: { kind: "drain", status: "succeeded", popId: p1, reason: "test", requestedById: userId, verdict: {}, plan: steps, prediction: predictions, createdAt: new Date(finished.getTime() - 1000), finishedAt: finished },
    });
    // Not settled yet (the default settle time is 5 minutes): nothing to check.
    expect(await modules.scoreSettledOperations(db, new Date(finished.getTime() + 60_000))).toEqual([]);

    // After it, 6 of the 7 probes predicted on CCC1 went there, the seventh stayed on AAA1 (the
    // replay of the last drain: observed), the rest as before.
    await db.measurement.createMany({
      data: probeIds.map((probeId, i) => ({
        probeId, prefixId: ids.prefix, answer: "x", rttMs: 10, measuredAt: new Date(finished.getTime() + 2 * MINUTE),
        popId: i < 6 ? p3 : [p1, ids.pops.get("BBB1")!, p3][Math.floor(i / 10)]!,
      })),
    });
    expect(await modules.scoreSettledOperations(db)).toEqual([operation.id]);
    const { accuracy } = await db.operation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(accuracy).toMatchObject({
      settleSeconds: 300,
      prefixes: [{ prefixId: ids.prefix, outcome: { kind: "measured", accuracy: { probes: 30, correct: 29, affected: { probes: 10, correct: 9 }, byEvidence: { observed: { probes: 10, correct: 9 } } } } }],
    });
    // Checked once.
    expect(await modules.scoreSettledOperations(db)).toEqual([]);
  });
});
