// Real agents with real TCP health checks, the console's real lease and report routes over
// HTTP, and Postgres: a failed check drains, a lease turns it into a withdraw only while the
// floor holds, and a correlated failure cannot withdraw more than PoPs minus floor.
import { createServer, type AddressInfo, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { agentConfig, makeTempDir, silentLogger } from "@/agent/test-helpers";
import { startAgent, type RunningAgent } from "@/agent/start-agent";
import { freePorts } from "@/test/support/agent-processes";
import { startConsoleRoutesServer } from "@/test/support/console-routes-server";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { until } from "@/test/support/until";
import { popData } from "@/test/support/factories";

const PREFIX = "192.0.2.0/24";
const CODES = ["AAA1", "BBB1", "CCC1", "DDD1"];
const FLOOR = 2;
const SECRET = "fail-soft-secret-0123456789";
const TTL_MS = 1500;

let test: TestDatabase;
let consoleServer: Awaited<ReturnType<typeof startConsoleRoutesServer>>;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
const agents = new Map<string, RunningAgent>();
const services = new Map<string, { server: Server | null; port: number }>();
const popIds = new Map<string, number>();

async function serve(code: string, port = 0) {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  services.set(code, { server, port: (server.address() as AddressInfo).port });
}
async function breakService(code: string) {
  const service = services.get(code)!;
  await new Promise<void>((resolve) => (service.server ? service.server.close(() => resolve()) : resolve()));
  service.server = null;
}

beforeAll(async () => {
  test = await createTestDatabase();
  process.env.DATABASE_URL = test.url;
  process.env.CATCHMENT_LEASE_TTL_MS = String(TTL_MS);
  const routes = {
    leases: (await import("@/app/api/v1/agents/[code]/leases/route")).POST,
    health: (await import("@/app/api/v1/agents/[code]/health/route")).POST,
  };
  consoleServer = await startConsoleRoutesServer(routes);
  const prefix = await test.db.prefix.create({ data: { cidr: PREFIX, family: 4, length: 24, originAsn: 64500n, service: "dns", safetyFloor: FLOOR } });
  for (const [index, code] of CODES.entries()) {
    const pop = await test.db.pop.create({
      data: popData(code, { latitude: 50 + index, agentUrl: "http://127.0.0.1:1", agentSecret: SECRET }),
    });
    popIds.set(code, pop.id);
    await test.db.announcement.create({ data: { popId: pop.id, prefixId: prefix.id, observedState: "announced" } });
  }
}, 60_000);

afterEach(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.stop()));
  agents.clear();
  for (const code of services.keys()) await breakService(code);
  services.clear();
  await temp?.remove();
  await test.db.withdrawLease.deleteMany();
  await test.db.announcement.updateMany({ data: { observedState: "announced", observedAt: null } });
});

afterAll(async () => {
  await consoleServer.stop();
  await test.drop();
});

async function startFleet(consoleUrl = consoleServer.url) {
  temp = await makeTempDir();
  for (const code of CODES) {
    await serve(code);
    const config = agentConfig(`${temp.dir}`, {
      pop: code,
      secret: SECRET,
      stateFile: `${temp.dir}/${code}.state.json`,
      prefixes: [{ prefix: PREFIX, service: "dns" }],
      healthChecks: [{ name: "dns-tcp", kind: "tcp", service: "dns", target: `127.0.0.1:${services.get(code)!.port}`, intervalMs: 100, timeoutMs: 80, rise: 2, fall: 2 }],
      console: { url: consoleUrl, timeoutMs: 1000, leaseRetryMs: 200 },
    });
    agents.set(code, await startAgent(config, { logger: silentLogger() }));
  }
  await until(() => wireStates(), (states) => CODES.every((code) => agents.get(code)!.control.checkState("dns-tcp") === "up") && states.every((s) => s === "announced"));
}

const wireStates = async () => CODES.map((code) => agents.get(code)!.control.wireState(PREFIX).state);

describe("fail-soft with the console's leases", () => {
  it("one PoP fails: it drains, gets a lease, withdraws; on recovery it announces and releases the lease", async () => {
    await startFleet();
    await breakService("AAA1");
    expect((await until(wireStates, (s) => s[0] === "withdrawn"))[0]).toBe("withdrawn");
    expect(await test.db.withdrawLease.count({ where: { popId: popIds.get("AAA1"), releasedAt: null } })).toBe(1);
    // The agent reported the change: the console sees the check down and the route withdrawn.
    await until(() => test.db.announcement.findFirstOrThrow({ where: { popId: popIds.get("AAA1") } }), (a) => a.observedState === "withdrawn");
    expect(await until(() => test.db.healthCheck.findFirstOrThrow({ where: { popId: popIds.get("AAA1") } }), (check) => check.state === "down")).toMatchObject({ state: "down" });
    expect((await test.db.healthEvent.findMany({ where: { popId: popIds.get("AAA1") }, orderBy: { at: "asc" } })).map((e) => e.toState)).toEqual(expect.arrayContaining(["falling", "down"]));
    // It renews past the TTL and stays withdrawn meanwhile.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS + 500));
    expect((await wireStates())[0]).toBe("withdrawn");

    await serve("AAA1", services.get("AAA1")!.port);
    expect((await until(wireStates, (s) => s[0] === "announced"))[0]).toBe("announced");
    await until(() => test.db.withdrawLease.count({ where: { releasedAt: null } }), (count) => count === 0);
    expect(await test.db.withdrawLease.count({ where: { releasedAt: null } })).toBe(0);
  });

  it("correlated failure: every check breaks at once; at most PoPs minus floor withdraw, the rest stay announced, drained", async () => {
    await startFleet();
    let worst = 0;
    await Promise.all(CODES.map((code) => breakService(code)));
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline) {
      const states = await wireStates();
      worst = Math.max(worst, states.filter((s) => s === "withdrawn").length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const states = await wireStates();
    expect(worst).toBeLessThanOrEqual(CODES.length - FLOOR);
    expect(states.filter((s) => s === "withdrawn").length).toBeLessThanOrEqual(CODES.length - FLOOR);
    expect(states.filter((s) => s !== "withdrawn").every((s) => s === "drained")).toBe(true);
    expect(await test.db.withdrawLease.count({ where: { releasedAt: null, expiresAt: { gt: new Date() } } })).toBeLessThanOrEqual(CODES.length - FLOOR);
  });

  it("a change is reported at once even after the console was down long enough to back off", async () => {
    const [port] = await freePorts(1);
    await startFleet(`http://127.0.0.1:${port}`);
    // Reports fail meanwhile (nothing listens) and the agent backs off: 0.5, 1, 2, 5 s...
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const late = await startConsoleRoutesServer(
      { leases: (await import("@/app/api/v1/agents/[code]/leases/route")).POST, health: (await import("@/app/api/v1/agents/[code]/health/route")).POST },
      port,
    );
    try {
      const broke = Date.now();
      await breakService("CCC1");
      const check = await until(() => test.db.healthCheck.findFirst({ where: { popId: popIds.get("CCC1") } }), (row) => row?.state === "down", 4000);
      expect(check?.state).toBe("down");
      // fall 2 at 100 ms, then the report: well under the 5 s the backoff had reached.
      expect(Date.now() - broke).toBeLessThan(3000);
    } finally {
      await late.stop();
    }
  });

  it("a withdrawn PoP whose console goes away announces drained again before its lease expires, and never withdraws anew", async () => {
    const own = await startConsoleRoutesServer({
      leases: (await import("@/app/api/v1/agents/[code]/leases/route")).POST,
      health: (await import("@/app/api/v1/agents/[code]/health/route")).POST,
    });
    await startFleet(own.url);
    await breakService("BBB1");
    expect((await until(wireStates, (s) => s[1] === "withdrawn"))[1]).toBe("withdrawn");
    const lease = await test.db.withdrawLease.findFirstOrThrow({ where: { popId: popIds.get("BBB1"), releasedAt: null } });
    await own.stop();
    expect((await until(wireStates, (s) => s[1] === "drained", TTL_MS * 3))[1]).toBe("drained");
    // Back to drained no later than the console's own expiry of the lease (the last renewal pushed it on).
    const lastExpiry = (await test.db.withdrawLease.findUniqueOrThrow({ where: { id: lease.id } })).expiresAt.getTime();
    expect(Date.now()).toBeLessThanOrEqual(lastExpiry + 100);
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await wireStates())[1]).toBe("drained");
    }
  });
});
