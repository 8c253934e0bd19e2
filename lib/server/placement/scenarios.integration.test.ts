import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenarioInput } from "@/lib/domain/placement/scenario-input";
import { createTestDatabase, type TestDatabase } from "@/test/support/test-database";
import { AppError } from "../errors";
import { createScenario, deleteScenario, getScenario, listScenarios, updateScenario } from "./scenarios";
import { popData } from "@/test/support/factories";

let test: TestDatabase;
let actor: { id: string; name: string };
beforeAll(async () => {
  test = await createTestDatabase();
  const user = await test.db.user.create({ data: { username: "lead", name: "Team Lead", role: "operator" } });
  actor = { id: user.id, name: user.username };
  for (const [index, code] of ["FRA1", "AMS1"].entries()) {
    await test.db.pop.create({ data: popData(code, { city: code, country: "DE", latitude: 50 + index, longitude: 8 }) });
  }
});
afterAll(() => test.drop());

const nairobi = { city: "Nairobi", country: "ke", latitude: -1.29, longitude: 36.82, capacityGbps: 40, upstreamAsns: ["AS33771", 37100] };
const input = (overrides: Record<string, unknown> = {}) =>
  scenarioInput.parse({ name: "Africa", notes: "A site in East Africa", definition: { removed: ["fra1"], added: [nairobi], prepends: [{ pop: "AMS1", prepends: 2 }] }, ...overrides });

describe("placement scenarios", () => {
  it("are created, read, listed, updated and deleted, each change audited with its author", async () => {
    const created = await createScenario(test.db, input(), actor, "192.0.2.7");
    expect(created).toMatchObject({ name: "Africa", authorName: "lead", definition: { removed: ["FRA1"], added: [{ city: "Nairobi", country: "KE", upstreamAsns: [33771, 37100] }] } });
    expect(await getScenario(test.db, created.id)).toEqual(created);

    const updated = await updateScenario(test.db, created.id, input({ name: "Africa, no FRA1 removed", definition: { added: [nairobi] } }), actor, null);
    expect(updated.definition).toEqual({ removed: [], added: [expect.objectContaining({ city: "Nairobi" })], prepends: [] });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect((await listScenarios(test.db)).map((s) => s.name)).toEqual(["Africa, no FRA1 removed"]);

    await deleteScenario(test.db, created.id, actor, null);
    await expect(getScenario(test.db, created.id)).rejects.toMatchObject({ code: "not_found" });

    const events = await test.db.auditEvent.findMany({ where: { targetType: "scenario", targetId: created.id }, orderBy: { at: "asc" } });
    expect(events.map((e) => [e.action, e.actorName])).toEqual([["scenario.create", "lead"], ["scenario.update", "lead"], ["scenario.delete", "lead"]]);
    expect(events[0]!.ip).toBe("192.0.2.7");
    expect(events[0]!.detail).toMatchObject({ removed: ["FRA1"], added: ["Nairobi (KE), 40 Gbit/s"], prepends: ["AMS1 ×2"] });
    expect(events[1]!.detail).toMatchObject({ previousName: "Africa" });
  });

  it("refuses a PoP the fleet does not have, naming it, and writes nothing", async () => {
    const before = await test.db.auditEvent.count();
    const error = await createScenario(test.db, input({ definition: { removed: ["XXX9", "FRA1"], prepends: [{ pop: "YYY1", prepends: 1 }] } }), actor, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "invalid_input", message: "The fleet has no PoP XXX9, YYY1." });
    expect(await test.db.scenario.count()).toBe(0);
    expect(await test.db.auditEvent.count()).toBe(before);
  });

  it("validates the definition: a prepend on a removed PoP, a bad ASN, a bad code", () => {
    const bad = (definition: unknown) => scenarioInput.safeParse({ name: "x", definition }).error?.issues.map((issue) => issue.message);
    expect(bad({ removed: ["FRA1"], prepends: [{ pop: "FRA1", prepends: 1 }] })).toEqual(["FRA1 is removed in this scenario: it has no prepend."]);
    expect(bad({ added: [{ ...nairobi, upstreamAsns: ["ASX"] }] })).toEqual(["An ASN is a number such as 64500 or AS64500."]);
    expect(bad({ removed: ["Frankfurt"] })).toEqual(["A PoP code is three letters and a number, e.g. AMS1."]);
    expect(bad({ prepends: [{ pop: "AMS1", prepends: 11 }] })).toEqual(["At most 10 prepends."]);
  });

  it("keeps a scenario when its author's account is deleted, with the author's name", async () => {
    const other = await test.db.user.create({ data: { username: "leaver", name: "Leaver", role: "operator" } });
    const scenario = await createScenario(test.db, input({ name: "Kept" }), { id: other.id, name: other.username }, null);
    await test.db.user.delete({ where: { id: other.id } });
    expect(await getScenario(test.db, scenario.id)).toMatchObject({ name: "Kept", authorName: "leaver" });
  });

  it("says a stored definition today's rules refuse is to be saved again, instead of failing as a server error", async () => {
    const scenario = await createScenario(test.db, input({ name: "Old rules" }), actor, null);
    // As if saved by an older version that allowed 20 prepends.
    await test.db.scenario.update({ where: { id: scenario.id }, data: { definition: { removed: [], added: [], prepends: [{ pop: "AMS1", prepends: 20 }] } } });
    await expect(getScenario(test.db, scenario.id)).rejects.toMatchObject({
      code: "conflict",
      message: 'Scenario "Old rules" was saved under other rules and no longer reads (At most 10 prepends.): delete it and save it again.',
    });
  });
});
