// Assigning prefixes to a PoP, removing them, deleting and decommissioning a PoP; and a
// restore of an assigned prefix that the PoP's real agent does not have in its config.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationInput } from "@/lib/domain/operations/operation-input";
import { freePorts, startAgentProcess } from "@/test/support/agent-processes";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { popData } from "@/test/support/factories";

const SECRET = "integration-secret-0123456789abcdef";
const KNOWN = "192.0.2.0/24";
const ASSIGNED = "203.0.113.0/24";

let test: TestDatabase;
let stopAgents: () => Promise<void> = async () => {};
let modules: {
  assignPrefix: typeof import("./assign-prefix").assignPrefix;
  unassignPrefix: typeof import("./unassign-prefix").unassignPrefix;
  deletePop: typeof import("./delete-pop").deletePop;
  popHistory: typeof import("./delete-pop").popHistory;
  decommissionPop: typeof import("./decommission-pop").decommissionPop;
  requestOperation: typeof import("../operations/request-operation").requestOperation;
  executeOperation: typeof import("../operations/execute-operation").executeOperation;
};
let operator: { id: string; name: string; role: "operator" };
const admin = { id: null, name: "admin-tester" };

async function makePop(code: string, agentUrl: string | null = null) {
  return test.db.pop.create({
    data: popData(code, { agentUrl, agentSecret: agentUrl ? SECRET : null }),
  });
}

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  process.env.CATCHMENT_AGENT_TIMEOUT_MS = "1500";
  modules = {
    ...(await import("./assign-prefix")),
    ...(await import("./unassign-prefix")),
    ...(await import("./delete-pop")),
    ...(await import("./decommission-pop")),
    requestOperation: (await import("../operations/request-operation")).requestOperation,
    executeOperation: (await import("../operations/execute-operation")).executeOperation,
  };
  for (const cidr of [KNOWN, ASSIGNED]) {
    await test.db.prefix.create({ data: { cidr, family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: 1 } });
    await test.db.roa.create({ data: { prefix: cidr, family: 4, length: 24, maxLength: 24, asn: 64500n } });
  }
  const op = await test.db.user.create({ data: { username: "op", name: "Op", role: "operator" } });
  operator = { id: op.id, name: op.username, role: "operator" };
}, 60_000);

afterAll(async () => {
  await stopAgents();
  await test.drop();
});

const auditOf = (action: string) => test.db.auditEvent.findMany({ where: { action }, orderBy: { id: "asc" } });

describe("assigning a prefix to a PoP", () => {
  it("creates the announcement withdrawn, audited in the same transaction; again changes nothing", async () => {
    const pop = await makePop("ASG1");
    const first = await modules.assignPrefix(test.db, "asg1", " 203.0.113.0/24 ", admin, "192.0.2.10");
    expect(first.created).toBe(true);
    expect(first.announcement).toMatchObject({ popId: pop.id, desiredState: "withdrawn", observedState: null });
    const again = await modules.assignPrefix(test.db, "ASG1", ASSIGNED, admin, null);
    expect(again.created).toBe(false);
    const audit = await auditOf("pop.prefix.assign");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: "admin-tester", targetId: "ASG1", popId: pop.id, ip: "192.0.2.10", detail: { cidr: ASSIGNED, desiredState: "withdrawn" } });
  });

  it("refuses a prefix the fleet does not have, or a PoP that does not exist, writing nothing", async () => {
    const before = await test.db.auditEvent.count();
    await expect(modules.assignPrefix(test.db, "ASG1", "198.51.100.0/24", admin, null)).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("create it under Prefixes") });
    await expect(modules.assignPrefix(test.db, "NOPE1", ASSIGNED, admin, null)).rejects.toMatchObject({ code: "not_found" });
    await expect(modules.assignPrefix(test.db, "ASG1", "203.0.113.7/24", admin, null)).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("did you mean 203.0.113.0/24") });
    expect(await test.db.auditEvent.count()).toBe(before);
  });
});

describe("removing a prefix from a PoP", () => {
  it("is refused while the prefix is desired announced or drained, or the agent still reports it announced", async () => {
    const pop = await makePop("UNA1");
    const prefix = await test.db.prefix.findUniqueOrThrow({ where: { cidr: KNOWN } });
    const announcement = await test.db.announcement.create({ data: { popId: pop.id, prefixId: prefix.id, desiredState: "announced", observedState: "announced" } });
    await expect(modules.unassignPrefix(test.db, "UNA1", KNOWN, admin, null)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("withdraw it there first") });
    await test.db.announcement.update({ where: { id: announcement.id }, data: { desiredState: "drained", prependCount: 3 } });
    await expect(modules.unassignPrefix(test.db, "UNA1", KNOWN, admin, null)).rejects.toMatchObject({ code: "conflict" });
    // Desired withdrawn, but the agent has not confirmed it: it may still be on the wire.
    await test.db.announcement.update({ where: { id: announcement.id }, data: { desiredState: "withdrawn", observedState: "drained" } });
    await expect(modules.unassignPrefix(test.db, "UNA1", KNOWN, admin, null)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("still reports") });
    expect(await test.db.announcement.count({ where: { popId: pop.id } })).toBe(1);
    expect(await auditOf("pop.prefix.unassign")).toHaveLength(0);
  });

  it("removes a withdrawn one, audited", async () => {
    const pop = await test.db.pop.findUniqueOrThrow({ where: { code: "UNA1" } });
    await test.db.announcement.updateMany({ where: { popId: pop.id }, data: { observedState: "withdrawn" } });
    await modules.unassignPrefix(test.db, "UNA1", KNOWN, admin, "192.0.2.11");
    expect(await test.db.announcement.count({ where: { popId: pop.id } })).toBe(0);
    const [event] = await auditOf("pop.prefix.unassign");
    expect(event).toMatchObject({ targetId: "UNA1", popId: pop.id, ip: "192.0.2.11", detail: { cidr: KNOWN } });
    await expect(modules.unassignPrefix(test.db, "UNA1", KNOWN, admin, null)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("deleting a PoP", () => {
  it("deletes one that never announced, with its upstreams and withdrawn assignments, keeping an audit row", async () => {
    const pop = await makePop("DEL1");
    await test.db.upstream.create({ data: { popId: pop.id, name: "transit", peerAsn: 64496n, peerAddress: "192.0.2.254" } });
    await modules.assignPrefix(test.db, "DEL1", ASSIGNED, admin, null);
    expect(await modules.popHistory(test.db, pop.id)).toEqual([]);
    await modules.deletePop(test.db, "del1", admin, "192.0.2.12");
    expect(await test.db.pop.findUnique({ where: { code: "DEL1" } })).toBeNull();
    expect(await test.db.upstream.count({ where: { popId: pop.id } })).toBe(0);
    const [event] = await auditOf("pop.delete");
    expect(event).toMatchObject({ targetId: "DEL1", popId: pop.id, ip: "192.0.2.12", detail: { prefixes: [ASSIGNED], upstreams: ["transit AS64496 192.0.2.254"] } });
  });

  it("refuses one with a history, naming it, and changes nothing", async () => {
    const prefix = await test.db.prefix.findUniqueOrThrow({ where: { cidr: KNOWN } });
    const cases: Array<[string, (popId: number) => Promise<unknown>, RegExp]> = [
      ["HIS1", (popId) => test.db.announcement.create({ data: { popId, prefixId: prefix.id, desiredState: "announced" } }), /announced there/],
      ["HIS2", (popId) => test.db.announcement.create({ data: { popId, prefixId: prefix.id, desiredState: "withdrawn", observedState: "drained" } }), /announced there/],
      [
        "HIS3",
        async (popId) => {
          const probe = await test.db.probe.create({ data: { source: "upload", externalId: "p-his3", latitude: 52, longitude: 5 } });
          await test.db.measurement.create({ data: { probeId: probe.id, prefixId: prefix.id, popId, answer: "his3", measuredAt: new Date() } });
        },
        /probes have measured it/,
      ],
      ["HIS4", (popId) => test.db.$executeRaw`INSERT INTO catchment_hourly (bucket, prefix_id, pop_id, answers) VALUES (now(), ${prefix.id}, ${popId}, 3)`, /probes have measured it/],
      ["HIS5", (popId) => test.db.trafficSample.create({ data: { popId, at: new Date(), bps: 1, pps: 1 } }), /traffic sample/],
      ["HIS6", (popId) => test.db.withdrawLease.create({ data: { popId, prefixId: prefix.id, expiresAt: new Date() } }), /withdraw lease/],
      [
        "HIS7",
        (popId) => test.db.operation.create({ data: { kind: "drain", status: "refused", popId, reason: "x", requestedById: operator.id, plan: [], verdict: {} } }),
        /recorded operation names it/,
      ],
    ];
    for (const [code, addHistory, reason] of cases) {
      const pop = await makePop(code);
      await addHistory(pop.id);
      const error = await modules.deletePop(test.db, code, admin, null).catch((e: unknown) => e);
      expect(error, code).toMatchObject({ code: "conflict", message: expect.stringMatching(reason) });
      expect((error as Error).message).toContain("decommission it instead");
      expect(await test.db.pop.count({ where: { code } })).toBe(1);
    }
    expect(await auditOf("pop.delete")).toHaveLength(1);
  });

  it("decommissions one with a history, once, audited", async () => {
    await modules.decommissionPop(test.db, "HIS3", admin, null);
    await modules.decommissionPop(test.db, "HIS3", admin, null);
    expect((await test.db.pop.findUniqueOrThrow({ where: { code: "HIS3" } })).status).toBe("decommissioned");
    expect(await auditOf("pop.decommission")).toMatchObject([{ targetId: "HIS3", detail: { from: "active" } }]);
  });

  it("refuses to decommission one still announcing, as desired or as its agent reports, naming the prefix", async () => {
    for (const [code, reason] of [
      ["HIS1", `${KNOWN} is announced at HIS1: withdraw it there first`],
      ["HIS2", `The agent at HIS2 still reports ${KNOWN} drained`],
    ] as const) {
      const error = await modules.decommissionPop(test.db, code, admin, null).catch((e: unknown) => e);
      expect(error, code).toMatchObject({ code: "conflict", message: expect.stringContaining(reason) });
      expect((await test.db.pop.findUniqueOrThrow({ where: { code } })).status).toBe("active");
    }
  });
});

describe("the demo agents' config", () => {
  it("follows assignments: written at start, it names an assigned prefix, withdrawn", async () => {
    const { mkdtemp, readFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const { writeDemoFleetConfig } = await import("@/scripts/demo-agents");
    const pop = await makePop("SIM1", "http://127.0.0.1:21999");
    await test.db.pop.update({ where: { id: pop.id }, data: { simulated: true } });
    await modules.assignPrefix(test.db, "SIM1", ASSIGNED, admin, null);
    const dir = await mkdtemp(path.join(tmpdir(), "catchment-demo-config-"));
    try {
      const file = await writeDemoFleetConfig(test.db, dir);
      const fleet = JSON.parse(await readFile(file!, "utf8")) as { agents: { pop: string; prefixes: unknown[] }[] };
      expect(fleet.agents.find((agent) => agent.pop === "SIM1")?.prefixes).toEqual([{ prefix: ASSIGNED, initialState: "withdrawn" }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("restoring an assigned prefix", () => {
  it("goes through the operation's checks, and an agent without it in its config says so on the step", async () => {
    const [port] = await freePorts(1);
    const agents = await startAgentProcess([{ pop: "AGT1", port: port!, secret: SECRET, prefixes: [KNOWN] }]);
    stopAgents = agents.stop;
    await makePop("AGT1", `http://127.0.0.1:${port}`);
    await modules.assignPrefix(test.db, "AGT1", ASSIGNED, admin, null);
    const prefix = await test.db.prefix.findUniqueOrThrow({ where: { cidr: ASSIGNED } });
    const input = operationInput.parse({ kind: "restore", popCodes: ["AGT1"], prefixId: prefix.id, reason: "new PoP goes live" });
    const requested = await modules.requestOperation(test.db, input, operator, null);
    expect(requested.status).toBe("accepted");
    expect(await modules.executeOperation(test.db, requested.operationId)).toBe("failed");
    const [step] = await test.db.operationStep.findMany({ where: { operationId: requested.operationId } });
    expect(step!.error).toBe(`the agent at AGT1 has no ${ASSIGNED} in its configuration: add it to the agent's config file`);
  }, 30_000);
});
