// From the console's operation flow, over real HTTP, to real PoP agent processes.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAgentClient } from "@/lib/agent-protocol/client";
import { operationInput } from "@/lib/domain/operations/operation-input";
import { freePorts, startAgentProcess, startHungAgent } from "@/test/support/agent-processes";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData } from "@/test/support/factories";

const TIMEOUT_MS = 1500;
const SECRET = "integration-secret-0123456789abcdef";
const PREFIX_A = "192.0.2.0/24";
const PREFIX_B = "2001:db8:53::/48";

let test: TestDatabase;
let stopAll: (() => Promise<void>)[] = [];
let modules: {
  requestOperation: typeof import("./request-operation").requestOperation;
  executeOperation: typeof import("./execute-operation").executeOperation;
  runOperation: typeof import("./run-operation").runOperation;
  retryOperation: typeof import("./run-operation").retryOperation;
  previewOperation: typeof import("./preview-operation").previewOperation;
  pollAgentsOnce: typeof import("../agents/poll-agents").pollAgentsOnce;
  sweep: typeof import("./sweep-operations");
};
const urls = new Map<string, string>();
let operator: { id: string; name: string; role: "operator" };
let admin: { id: string; name: string; role: "admin" };

beforeAll(async () => {
  test = await createTestDatabase();
  // The data-access modules use the one server client, made from DATABASE_URL at import.
  process.env.DATABASE_URL = test.url;
  process.env.CATCHMENT_AGENT_TIMEOUT_MS = String(TIMEOUT_MS);
  modules = {
    requestOperation: (await import("./request-operation")).requestOperation,
    executeOperation: (await import("./execute-operation")).executeOperation,
    runOperation: (await import("./run-operation")).runOperation,
    retryOperation: (await import("./run-operation")).retryOperation,
    previewOperation: (await import("./preview-operation")).previewOperation,
    pollAgentsOnce: (await import("../agents/poll-agents")).pollAgentsOnce,
    sweep: await import("./sweep-operations"),
  };
  const db = test.db;
  const a = await db.prefix.create({ data: { cidr: PREFIX_A, family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 2 } });
  const b = await db.prefix.create({ data: { cidr: PREFIX_B, family: 6, length: 48, originAsn: 64500n, service: "dns", safetyFloor: 1 } });
  await db.roa.createMany({ data: [{ prefix: PREFIX_A, family: 4, length: 24, maxLength: 24, asn: 64500n }, { prefix: PREFIX_B, family: 6, length: 48, maxLength: 48, asn: 64500n }] });
  // AAA1-CCC1 run real agents; HNG1 accepts and never answers; DWN1 has nothing listening.
  const codes = ["AAA1", "BBB1", "CCC1", "HNG1", "DWN1"];
  const free = await freePorts(codes.length);
  const ports = new Map(codes.map((code, index) => [code, free[index]!]));
  for (const [index, code] of codes.entries()) {
    urls.set(code, `http://127.0.0.1:${ports.get(code)}`);
    const pop = await db.pop.create({
      data: popData(code, { latitude: 50 + index, agentUrl: urls.get(code), agentSecret: SECRET }),
    });
    await db.announcement.create({ data: { popId: pop.id, prefixId: a.id, observedState: "announced" } });
    if (index < 2) await db.announcement.create({ data: { popId: pop.id, prefixId: b.id, observedState: "announced" } });
  }
  const agents = await startAgentProcess(
    ["AAA1", "BBB1", "CCC1"].map((code, index) => ({ pop: code, port: ports.get(code)!, secret: SECRET, prefixes: index < 2 ? [PREFIX_A, PREFIX_B] : [PREFIX_A] })),
  );
  const hung = await startHungAgent(ports.get("HNG1")!);
  stopAll = [agents.stop, hung.stop];
  const op = await db.user.create({ data: { username: "op", name: "Op", role: "operator" } });
  const ad = await db.user.create({ data: { username: "ad", name: "Ad", role: "admin" } });
  operator = { id: op.id, name: op.username, role: "operator" };
  admin = { id: ad.id, name: ad.username, role: "admin" };
}, 60_000);

afterAll(async () => {
  await Promise.all(stopAll.map((stop) => stop()));
  await test.drop();
});

const input = (fields: Record<string, unknown>) => operationInput.parse({ reason: "integration test", ...fields });

async function agentState(code: string, prefix: string) {
  const status = await createAgentClient({ url: urls.get(code)!, secret: SECRET }).status();
  if (!status.ok) throw new Error(status.error.message);
  return status.value.announcements.find((a) => a.prefix === prefix);
}

async function run(fields: Record<string, unknown>, requester: typeof operator | typeof admin = operator) {
  const requested = await modules.requestOperation(test.db, input(fields), requester, "192.0.2.50");
  if (requested.status !== "accepted") return { requested, status: null };
  return { requested, status: await modules.executeOperation(test.db, requested.operationId) };
}

describe("operations through real agents", () => {
  it("drains a whole PoP: the agent applies it and the console records what it reports", async () => {
    const { requested, status } = await run({ kind: "drain", popCodes: "AAA1" });
    expect(status).toBe("succeeded");
    expect(await agentState("AAA1", PREFIX_A)).toMatchObject({ state: "drained", prepend: 3 });
    expect(await agentState("AAA1", PREFIX_B)).toMatchObject({ state: "drained", prepend: 3 });
    const rows = await test.db.announcement.findMany({ where: { pop: { code: "AAA1" } } });
    expect(rows.map((r) => [r.desiredState, r.prependCount, r.observedState, r.observedPrepend])).toEqual([
      ["drained", 3, "drained", 3],
      ["drained", 3, "drained", 3],
    ]);
    const audit = await test.db.auditEvent.findFirstOrThrow({ where: { action: "operation.drain", targetId: requested.operationId } });
    expect(audit).toMatchObject({ actorName: "op", ip: "192.0.2.50" });
  });

  it("an idempotent replay changes nothing", async () => {
    const operation = await test.db.operation.findFirstOrThrow({ where: { kind: "drain" }, include: { steps: true } });
    const replay = await createAgentClient({ url: urls.get("AAA1")!, secret: SECRET }).putAnnouncement({ prefix: PREFIX_A, state: "drained", prepend: 3, reason: operation.reason, operationId: operation.id });
    expect(replay).toMatchObject({ ok: true, value: { replayed: true, state: "drained" } });
    // Running it again sends nothing: every step is done.
    expect(await modules.executeOperation(test.db, operation.id)).toBe("succeeded");
    expect((await test.db.operationStep.findMany({ where: { operationId: operation.id } })).map((s) => s.attempts)).toEqual([1, 1]);
    // Asking for the same drain again plans nothing and is refused as such.
    await expect(run({ kind: "drain", popCodes: "AAA1" })).rejects.toThrow(/Nothing to change: AAA1 is already drained with 3 prepends/);
  });

  it("restores the PoP", async () => {
    expect((await run({ kind: "restore", popCodes: "AAA1" })).status).toBe("succeeded");
    expect(await agentState("AAA1", PREFIX_A)).toMatchObject({ state: "announced", prepend: 0 });
  });

  it("withdraws only once the operator has typed the PoP code", async () => {
    await expect(run({ kind: "withdraw", popCodes: "BBB1", prefixId: "" })).rejects.toThrow(/Type BBB1 to confirm/);
    expect(await agentState("BBB1", PREFIX_A)).toMatchObject({ state: "announced" });
    expect((await run({ kind: "withdraw", popCodes: "BBB1", confirmCode: "bbb1" })).status).toBe("succeeded");
    expect(await agentState("BBB1", PREFIX_A)).toMatchObject({ state: "withdrawn" });
    expect((await run({ kind: "restore", popCodes: "BBB1" })).status).toBe("succeeded");
  });

  it("refuses to go below a prefix's floor, naming the prefix and floor, and sends nothing", async () => {
    const before = await test.db.announcement.findMany({ orderBy: { id: "asc" } });
    const { requested } = await run({ kind: "withdraw", popCodes: "AAA1,BBB1,CCC1,HNG1", confirmCode: "AAA1, BBB1, CCC1, HNG1" });
    expect(requested.status).toBe("refused");
    const floor = requested.verdict.checks.find((c) => c.name === "floor")!;
    expect(floor.message).toContain(`${PREFIX_A} would be announced undrained at 1 PoP, below its safety floor of 2`);
    expect(floor.message).toContain(`${PREFIX_B} would be announced undrained at 0 PoPs, below its safety floor of 1`);
    expect(await test.db.announcement.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await agentState("AAA1", PREFIX_A)).toMatchObject({ state: "announced" });
    const operation = await test.db.operation.findUniqueOrThrow({ where: { id: requested.operationId }, include: { steps: true } });
    expect(operation).toMatchObject({ status: "refused", steps: [] });
    expect(await test.db.auditEvent.count({ where: { action: "operation.refused" } })).toBe(1);
    // What the confirm dialog and the API call: the refusal is an error naming the failed check.
    await expect(modules.runOperation(test.db, input({ kind: "withdraw", popCodes: "AAA1,BBB1,CCC1,HNG1", confirmCode: "AAA1, BBB1, CCC1, HNG1" }), operator, null)).rejects.toThrow(
      /^Refused; nothing was sent to any agent\. .*below its safety floor of 2/,
    );
    expect(await test.db.announcement.findMany({ orderBy: { id: "asc" } })).toEqual(before);
  });

  it("lets only an admin override a failed check, with a reason, and audits the override", async () => {
    const drainBoth = { kind: "drain", popCodes: "AAA1 BBB1", prefixId: String((await test.db.prefix.findUniqueOrThrow({ where: { cidr: PREFIX_B } })).id) };
    await expect(run({ ...drainBoth, overrideReason: "operator tries" })).rejects.toThrow(/Only an admin may override/);
    expect((await run(drainBoth, admin)).requested.status).toBe("refused");
    const { requested, status } = await run({ ...drainBoth, overrideReason: "scrubbing during an attack, CHG-9" }, admin);
    expect(requested).toMatchObject({ status: "accepted", overridden: true });
    expect(status).toBe("succeeded");
    const override = await test.db.auditEvent.findFirstOrThrow({ where: { action: "operation.override" } });
    expect(override.detail).toMatchObject({ overrideReason: "scrubbing during an attack, CHG-9" });
    expect((await run({ kind: "restore", popCodes: "AAA1,BBB1" })).status).toBe("succeeded");
  });

  it("cuts a hung agent off at the timeout, reports a down one clearly, and applies the rest", async () => {
    const started = Date.now();
    const { status, requested } = await run({ kind: "drain", popCodes: "CCC1,HNG1,DWN1" });
    const elapsed = Date.now() - started;
    expect(status).toBe("partial");
    // It waited the agent timeout for the hung one (the step's error names the cut-off); no upper bound, which a busy machine breaks.
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    const steps = await test.db.operationStep.findMany({ where: { operationId: requested.operationId }, include: { pop: true } });
    const byPop = Object.fromEntries(steps.map((s) => [s.pop.code, s]));
    expect(byPop.CCC1).toMatchObject({ status: "succeeded", error: null });
    expect(byPop.HNG1!.status).toBe("failed");
    expect(byPop.HNG1!.error).toMatch(/did not answer within|timed out|timeout/i);
    expect(byPop.DWN1!.status).toBe("failed");
    expect(byPop.DWN1!.error).toMatch(/refused|unreachable|cannot reach/i);
    expect(byPop.DWN1!.attempts).toBeGreaterThan(1);
    expect(await agentState("CCC1", PREFIX_A)).toMatchObject({ state: "drained" });
    expect((await run({ kind: "restore", popCodes: "CCC1,HNG1,DWN1" })).status).toBe("partial");
  });

  it("lets only one of two concurrent withdraws pass when both together would breach the floor", async () => {
    await test.db.prefix.update({ where: { cidr: PREFIX_A }, data: { safetyFloor: 4 } });
    const results = await Promise.all([
      modules.requestOperation(test.db, input({ kind: "withdraw", popCodes: "AAA1", confirmCode: "AAA1" }), operator, null),
      modules.requestOperation(test.db, input({ kind: "withdraw", popCodes: "BBB1", confirmCode: "BBB1" }), admin, null),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["accepted", "refused"]);
    const desired = await test.db.announcement.findMany({ where: { prefix: { cidr: PREFIX_A }, desiredState: "announced" } });
    expect(desired).toHaveLength(4);
  });
});

describe("the drift poller", () => {
  it("records what each agent reports, shows drift, and marks agents that do not answer", async () => {
    // Someone drains CCC1 behind the console's back.
    const outOfBand = await createAgentClient({ url: urls.get("CCC1")!, secret: SECRET }).putAnnouncement({ prefix: PREFIX_A, state: "drained", prepend: 5, reason: "by hand", operationId: "manual-1" });
    expect(outOfBand.ok).toBe(true);
    // AAA1's agent reports its one session (192.0.2.254); the other upstream it does not know.
    const aaa1 = await test.db.pop.findUniqueOrThrow({ where: { code: "AAA1" } });
    await test.db.upstream.createMany({
      data: [
        { popId: aaa1.id, name: "transit", peerAsn: 64496n, peerAddress: "192.0.2.254" },
        { popId: aaa1.id, name: "ix", peerAsn: 64497n, peerAddress: "198.51.100.9" },
      ],
    });
    const before = new Date();
    expect(await modules.pollAgentsOnce(test.db)).toEqual({ polled: 5, answered: 3 });
    const pops = Object.fromEntries((await test.db.pop.findMany()).map((pop) => [pop.code, pop]));
    expect(pops.AAA1).toMatchObject({ agentHealth: "ok", agentError: null });
    expect(pops.AAA1!.agentSeenAt).not.toBeNull();
    expect(pops.HNG1!.agentHealth).toBe("unreachable");
    expect(pops.HNG1!.agentError).toMatch(/did not answer within/);
    expect(pops.DWN1!.agentHealth).toBe("unreachable");
    const drifted = await test.db.announcement.findFirstOrThrow({ where: { pop: { code: "CCC1" }, prefix: { cidr: PREFIX_A } } });
    expect(drifted).toMatchObject({ desiredState: "announced", observedState: "drained", observedPrepend: 5 });
    // Both prefixes are announced at AAA1: the agent sends them on its session.
    const sessions = await test.db.upstream.findMany({ where: { popId: aaa1.id }, orderBy: { peerAddress: "asc" } });
    expect(sessions).toMatchObject([
      { peerAddress: "192.0.2.254", state: "established", prefixesSent: 2, prefixesReceived: 0 },
      { peerAddress: "198.51.100.9", state: "unknown", prefixesSent: null, stateSince: null, exports: null },
    ]);
    // And what it sends on that session, route by route, for the PoP page.
    expect(sessions[0]!.exports).toEqual([
      { prefix: PREFIX_A, asPath: [64500], communities: [] },
      { prefix: PREFIX_B, asPath: [64500], communities: [] },
    ]);
    expect(sessions[0]!.stateSince!.getTime()).toBeLessThanOrEqual(Date.now());
    // No session of an agent becomes an upstream of its own.
    expect(await test.db.upstream.count()).toBe(2);
    const polled = await test.db.announcement.findMany({ where: { pop: { code: { in: ["AAA1", "BBB1", "CCC1"] } } } });
    expect(polled).toHaveLength(5);
    for (const announcement of polled) expect(announcement.observedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
    // The PoPs whose agents did not answer keep their announcements' last observation.
    expect(await test.db.announcement.findMany({ where: { pop: { code: { in: ["HNG1", "DWN1"] } }, observedAt: { not: null } } })).toEqual([]);
  });
});

describe("an operation the console left running (it stopped before calling the agents)", () => {
  it("is left alone while fresh, failed by the sweeper after the agent deadline (audited), and can then be retried", async () => {
    // Whatever the tests above left at AAA1, the floor does not stand in the way here.
    await test.db.prefix.update({ where: { cidr: PREFIX_B }, data: { safetyFloor: 0 } });
    const prefixId = String((await test.db.prefix.findUniqueOrThrow({ where: { cidr: PREFIX_B } })).id);
    // Recorded, but the console dies before executeOperation: nothing reaches the agent.
    const requested = await modules.requestOperation(test.db, input({ kind: "drain", popCodes: "BBB1", prefixId }), operator, null);
    expect(requested.status).toBe("accepted");
    expect(await agentState("BBB1", PREFIX_B)).toMatchObject({ state: "announced" });

    expect(await modules.sweep.sweepAbandonedOperations(test.db)).toEqual([]);
    // Still alone once the agent deadline and a recording transaction that ran to its timeout
    // have passed: it may have committed only then, and its agents may still be answering.
    const { RECORDING_TRANSACTION } = await import("./request-operation");
    const { agentTimeoutMs } = await import("../agents/agent-config");
    const slowRecording = new Date(Date.now() + agentTimeoutMs() + RECORDING_TRANSACTION.maxWait + RECORDING_TRANSACTION.timeout);
    expect(await modules.sweep.sweepAbandonedOperations(test.db, slowRecording)).toEqual([]);
    expect(await test.db.operation.findUniqueOrThrow({ where: { id: requested.operationId } })).toMatchObject({ status: "running", finishedAt: null });

    const later = new Date(Date.now() + modules.sweep.abandonedAfterMs() + 1000);
    // (The concurrency test above left its accepted withdraw unsent too.)
    expect(await modules.sweep.sweepAbandonedOperations(test.db, later)).toContain(requested.operationId);
    const swept = await test.db.operation.findUniqueOrThrow({ where: { id: requested.operationId }, include: { steps: true } });
    expect(swept.status).toBe("failed");
    expect(swept.finishedAt).not.toBeNull();
    expect(swept.steps).toHaveLength(1);
    expect(swept.steps[0]).toMatchObject({ status: "failed", attempts: 0 });
    expect(swept.steps[0]!.error).toMatch(/the console stopped before calling this agent .*past the agent deadline/);
    const audit = await test.db.auditEvent.findFirstOrThrow({ where: { action: "operation.abandoned", targetId: requested.operationId } });
    expect(audit).toMatchObject({ actorName: "system", actorId: null });
    // A second sweep (another console instance, say) finds nothing more to do.
    expect(await modules.sweep.sweepAbandonedOperations(test.db, later)).toEqual([]);

    // The retry (as the operation page's button does) sends it now, audited; a second one is refused.
    expect(await modules.retryOperation(test.db, requested.operationId, operator, "192.0.2.9")).toBe("succeeded");
    expect(await agentState("BBB1", PREFIX_B)).toMatchObject({ state: "drained", prepend: 3 });
    expect(await test.db.auditEvent.findFirst({ where: { action: "operation.retry", targetId: requested.operationId } })).toMatchObject({ actorName: operator.name, ip: "192.0.2.9" });
    await expect(modules.retryOperation(test.db, requested.operationId, operator, null)).rejects.toThrow("Only a partial or failed operation can be retried; this one is succeeded.");
    await expect(modules.retryOperation(test.db, "no-such-operation", operator, null)).rejects.toThrow("There is no such operation.");
  });

  it("says nothing to change when desired and observed agree, and plans again when the agent is elsewhere", async () => {
    const prefixId = String((await test.db.prefix.findUniqueOrThrow({ where: { cidr: PREFIX_B } })).id);
    await expect(run({ kind: "drain", popCodes: "BBB1", prefixId })).rejects.toThrow(/Nothing to change: BBB1 is already drained with 3 prepends for that prefix/);
    // The agent is restored behind the console's back; the poller sees it.
    const outOfBand = await createAgentClient({ url: urls.get("BBB1")!, secret: SECRET }).putAnnouncement({ prefix: PREFIX_B, state: "announced", reason: "by hand", operationId: "manual-2" });
    expect(outOfBand.ok).toBe(true);
    await modules.pollAgentsOnce(test.db);
    expect(await test.db.announcement.findFirstOrThrow({ where: { pop: { code: "BBB1" }, prefix: { cidr: PREFIX_B } } })).toMatchObject({ desiredState: "drained", observedState: "announced" });
    const { requested, status } = await run({ kind: "drain", popCodes: "BBB1", prefixId });
    expect(requested.status).toBe("accepted");
    expect(status).toBe("succeeded");
    expect(await agentState("BBB1", PREFIX_B)).toMatchObject({ state: "drained", prepend: 3 });
    expect((await run({ kind: "restore", popCodes: "BBB1", prefixId })).status).toBe("succeeded");
  });
});

describe("a refused operation across several PoPs", () => {
  it("names its PoPs in the operations list and on its page, though it has no steps", async () => {
    const { requested } = await run({ kind: "withdraw", popCodes: "AAA1,BBB1,CCC1", confirmCode: "AAA1, BBB1, CCC1" });
    expect(requested.status).toBe("refused");
    const { getOperation, listOperations } = await import("./get-operation");
    const page = await getOperation(test.db, requested.operationId);
    expect(page!.steps).toEqual([]);
    expect(page!.popCodes).toEqual(["AAA1", "BBB1", "CCC1"]);
    const listed = (await listOperations(test.db)).find((op) => op.id === requested.operationId)!;
    expect(listed.popCodes).toEqual(["AAA1", "BBB1", "CCC1"]);
    // It shows on each PoP's list of operations too.
    const bbb1 = await test.db.pop.findUniqueOrThrow({ where: { code: "BBB1" } });
    expect((await listOperations(test.db, { popId: bbb1.id })).map((op) => op.id)).toContain(requested.operationId);
  });
});

describe("the console's terminal", () => {
  it("logs one line per operation requested, refused (with the failed checks), overridden (admin and reason) and finished (with each agent's failure)", async () => {
    const { log } = await import("../log");
    const info = vi.spyOn(log, "info");
    try {
      const withdraw = { kind: "withdraw", popCodes: "AAA1,BBB1,CCC1", confirmCode: "AAA1, BBB1, CCC1" };
      const refused = await run(withdraw);
      const overridden = await run({ ...withdraw, overrideReason: "drill, CHG-19" }, admin);
      const events = info.mock.calls.map(([fields]) => fields as unknown as Record<string, unknown>);
      expect(events.find((e) => e.event === "operation.refused")).toMatchObject({
        operationId: refused.requested.operationId,
        kind: "withdraw",
        pops: ["AAA1", "BBB1", "CCC1"],
        user: "op",
        failedChecks: [expect.objectContaining({ check: "floor" })],
      });
      expect(events.find((e) => e.event === "operation.requested")).toMatchObject({ operationId: overridden.requested.operationId, user: "ad" });
      expect(events.find((e) => e.event === "operation.overridden")).toMatchObject({ operationId: overridden.requested.operationId, admin: "ad", overrideReason: "drill, CHG-19" });
      expect(events.find((e) => e.event === "operation.finished")).toMatchObject({ operationId: overridden.requested.operationId, status: "succeeded", failures: [] });

      expect((await run({ kind: "restore", popCodes: "AAA1,BBB1,CCC1" })).status).toBe("succeeded");
      // An agent that cannot be reached is named in the finished line.
      info.mockClear();
      const { requested } = await run({ kind: "drain", popCodes: "DWN1" });
      const finished = info.mock.calls.map(([fields]) => fields as unknown as Record<string, unknown>).find((e) => e.event === "operation.finished");
      expect(finished).toMatchObject({ operationId: requested.operationId, status: "failed" });
      expect(finished!.failures).toEqual([expect.objectContaining({ pop: "DWN1", prefix: PREFIX_A })]);
    } finally {
      info.mockRestore();
    }
  });
});
