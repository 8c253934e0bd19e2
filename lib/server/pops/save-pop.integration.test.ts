import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { popInput } from "@/lib/domain/pop-input";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { AppError, fromPrismaError } from "../errors";
import { POP_UNIQUE_FIELDS, createPop, updatePop } from "./save-pop";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.drop());

const actor = { id: null, name: "tester" };
const form = (overrides: Record<string, unknown> = {}) =>
  popInput.parse({
    code: "ams1", name: "Amsterdam", city: "Amsterdam", country: "nl", latitude: "52.37", longitude: "4.89",
    region: "europe", capacityGbps: "100", status: "active", agentUrl: "http://127.0.0.1:9000/", agentSecret: "s".repeat(40),
    identities: "ams1.ns.example, ams1-*.example",
    upstreams: [
      { name: "NTT", kind: "transit", peerAsn: "AS2914", peerAddress: "192.0.2.1" },
      { name: "AMS-IX", kind: "ix", peerAsn: "6777", peerAddress: "2001:db8::6777" },
    ],
    ...overrides,
  });

describe("saving a PoP", () => {
  it("creates the PoP and its upstreams with one audit event, keeping the secret out of it", async () => {
    const pop = await createPop(test.db, form(), actor, "192.0.2.10");
    expect(pop).toMatchObject({ code: "AMS1", country: "NL", capacityGbps: 100, agentUrl: "http://127.0.0.1:9000", identities: ["ams1.ns.example", "ams1-*.example"] });
    const upstreams = await test.db.upstream.findMany({ where: { popId: pop.id }, orderBy: { id: "asc" } });
    expect(upstreams.map((u) => [u.name, Number(u.peerAsn), u.peerAddress])).toEqual([["NTT", 2914, "192.0.2.1"], ["AMS-IX", 6777, "2001:db8::6777"]]);
    const [event] = await test.db.auditEvent.findMany({ where: { action: "pop.create" } });
    expect(event).toMatchObject({ actorName: "tester", targetId: "AMS1", popId: pop.id, ip: "192.0.2.10" });
    expect(JSON.stringify(event!.detail)).not.toContain("ssss");
  });

  it("refuses a duplicate code with an error on the code field, writing nothing", async () => {
    const before = await test.db.auditEvent.count();
    const error = await createPop(test.db, form({ name: "Other" }), actor, null).catch((e: unknown) => e);
    const mapped = fromPrismaError(error, POP_UNIQUE_FIELDS);
    expect(mapped).toMatchObject({ code: "conflict", fieldErrors: { code: ["is already taken"] } });
    expect(await test.db.pop.count()).toBe(1);
    expect(await test.db.auditEvent.count()).toBe(before);
  });

  it("updates fields, keeps the secret when left blank, replaces upstreams and audits what changed", async () => {
    const existing = await test.db.upstream.findFirstOrThrow({ where: { name: "NTT" } });
    await updatePop(
      test.db,
      "AMS1",
      form({ capacityGbps: "400", agentSecret: "", upstreams: [{ id: String(existing.id), name: "NTT Global", kind: "transit", peerAsn: "2914", peerAddress: "192.0.2.1" }] }),
      actor,
      null,
    );
    const pop = await test.db.pop.findUniqueOrThrow({ where: { code: "AMS1" }, omit: { agentSecret: false }, include: { upstreams: true } });
    expect(pop.capacityGbps).toBe(400);
    expect(pop.agentSecret).toBe("s".repeat(40));
    expect(pop.upstreams.map((u) => [u.id, u.name])).toEqual([[existing.id, "NTT Global"]]);
    const event = await test.db.auditEvent.findFirstOrThrow({ where: { action: "pop.update" } });
    expect(event.detail).toMatchObject({ changed: { capacityGbps: { from: 100, to: 400 } }, agentSecretRotated: false, upstreams: { before: 2, after: 1 } });
  });

  it("refuses two upstreams with one peer address, and an upstream id of another PoP, changing nothing", async () => {
    const twice = form({ upstreams: [{ name: "A", kind: "transit", peerAsn: "1", peerAddress: "192.0.2.9" }, { name: "B", kind: "transit", peerAsn: "2", peerAddress: "192.0.2.9" }] });
    await expect(updatePop(test.db, "AMS1", twice, actor, null)).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { upstreams: ["192.0.2.9 is listed twice."] } });
    const other = await createPop(test.db, form({ code: "FRA1", upstreams: [{ name: "X", kind: "transit", peerAsn: "3", peerAddress: "198.51.100.3" }] }), actor, null);
    const foreign = await test.db.upstream.findFirstOrThrow({ where: { popId: other.id } });
    const steal = form({ capacityGbps: "1", upstreams: [{ id: String(foreign.id), name: "mine now", kind: "transit", peerAsn: "3", peerAddress: "198.51.100.3" }] });
    await expect(updatePop(test.db, "AMS1", steal, actor, null)).rejects.toBeInstanceOf(AppError);
    expect((await test.db.pop.findUniqueOrThrow({ where: { code: "AMS1" } })).capacityGbps).toBe(400);
    expect((await test.db.upstream.findUniqueOrThrow({ where: { id: foreign.id } })).name).toBe("X");
  });
});

describe("the PoP form's validation", () => {
  it("names each bad field", () => {
    const result = popInput.safeParse({ code: "amsterdam", name: "", city: "x", country: "Netherlands", latitude: "91", longitude: "", region: "mars", capacityGbps: "1.5", status: "active", agentUrl: "ftp://x", upstreams: [{ name: "u", kind: "transit", peerAsn: "AS99999999999", peerAddress: "300.1.1.1" }] });
    expect(result.success).toBe(false);
    const fields = Object.fromEntries(result.error!.issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(fields).toMatchObject({
      code: expect.stringContaining("three letters"),
      name: "Name is required.",
      country: expect.stringContaining("ISO"),
      latitude: "Latitude must be between -90 and 90.",
      longitude: "Longitude must be a number.",
      capacityGbps: "Capacity must be a whole number.",
      agentUrl: "The agent URL must use http or https.",
      "upstreams.0.peerAsn": expect.stringContaining("between 1 and 4294967295"),
      "upstreams.0.peerAddress": expect.stringContaining("IPv4 or IPv6"),
    });
  });
});
