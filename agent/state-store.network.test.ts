import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SimSpeaker } from "./speakers/sim";
import { startAgent } from "./start-agent";
import { StateFileError, StateStore } from "./state-store";
import { agentConfig, makeTempDir, silentLogger, startTestAgent } from "./test-helpers";

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

describe("state across restarts", () => {
  it("persists applied state and the ledger, and re-applies them to a fresh speaker before serving", async () => {
    const first = await startTestAgent(temp.dir);
    const drained = await first.client.putAnnouncement({
      prefix: "192.0.2.0/24",
      state: "drained",
      prepend: 4,
      communities: ["65000:100"],
      reason: "maintenance",
      operationId: "op-1",
    });
    await first.client.putAnnouncement({ prefix: "2001:db8:100::/48", state: "withdrawn", reason: "incident", operationId: "op-2" });
    await first.agent.stop();

    const freshSpeaker = new SimSpeaker({ upstreams: [] });
    const apply = vi.spyOn(freshSpeaker, "apply");
    const second = await startTestAgent(temp.dir, { speaker: freshSpeaker });
    try {
      expect(apply.mock.calls).toEqual([
        ["192.0.2.0/24", { state: "drained", prepend: 4, communities: ["65000:100"] }],
        ["2001:db8:100::/48", { state: "withdrawn", prepend: 0, communities: [] }],
        ["198.51.100.0/24", { state: "withdrawn", prepend: 0, communities: [] }],
      ]);
      const status = await second.client.status();
      expect(status.ok && status.value.announcements[0]).toMatchObject({ state: "drained", prepend: 4, reason: "maintenance", operationId: "op-1" });

      // The ledger survived too: a replay after the restart is still a replay.
      const replay = await second.client.putAnnouncement({
        prefix: "192.0.2.0/24",
        state: "drained",
        prepend: 4,
        communities: ["65000:100"],
        reason: "maintenance",
        operationId: "op-1",
      });
      expect(drained.ok && replay.ok && replay.value).toEqual(drained.ok && { ...drained.value, replayed: true });
      expect(apply).toHaveBeenCalledTimes(3);
    } finally {
      await second.agent.stop();
    }
  });

  it("refuses to start on a corrupt state file and announces nothing", async () => {
    const config = agentConfig(temp.dir);
    await writeFile(config.stateFile, '{"version":1,"prefixes":{"192.0.2.0/24":{"state":"announ');
    const speaker = new SimSpeaker({ upstreams: [] });
    const apply = vi.spyOn(speaker, "apply");
    await expect(startAgent(config, { speaker, logger: silentLogger() })).rejects.toThrow(StateFileError);
    await expect(startAgent(config, { speaker, logger: silentLogger() })).rejects.toThrow(/state file .*state\.json is corrupt .*refusing to start/);
    expect(apply).not.toHaveBeenCalled();
  });

  it("refuses a state file that is valid JSON but not a state file", async () => {
    const config = agentConfig(temp.dir);
    await writeFile(config.stateFile, JSON.stringify({ version: 1, prefixes: { "192.0.2.0/24": { state: "on" } }, ledger: [] }));
    await expect(StateStore.open(config.stateFile)).rejects.toThrow(/corrupt \(prefixes\.192\.0\.2\.0\/24\.state: /);
  });

  it("fails to start with a clear message when the driver is not in this build", async () => {
    const config = agentConfig(temp.dir, { speaker: { driver: "gobgp", apiAddress: "127.0.0.1:50051" } });
    await expect(startAgent(config, { logger: silentLogger() })).rejects.toThrow("driver gobgp is not available in this build yet");
  });
});

describe("StateStore", () => {
  const entry = (operationId: string) => ({
    operationId,
    requestHash: "h",
    response: { operationId, prefix: "192.0.2.0/24", state: "announced" as const, prepend: 0, appliedAt: new Date().toISOString(), replayed: false },
  });
  const state = { state: "announced" as const, prepend: 0, communities: [], reason: "r", operationId: null, since: new Date().toISOString() };

  it("writes atomically, leaving no temp files, and keeps only the newest ledger entries", async () => {
    const file = path.join(temp.dir, "nested", "state.json");
    const store = await StateStore.open(file, { ledgerSize: 3 });
    await Promise.all(["op-1", "op-2", "op-3", "op-4", "op-5"].map((id) => store.record("192.0.2.0/24", { ...state, operationId: id }, entry(id))));
    expect(await readdir(path.dirname(file))).toEqual(["state.json"]);
    const reopened = await StateStore.open(file, { ledgerSize: 3 });
    expect(reopened.findOperation("op-1", "192.0.2.0/24")).toBeUndefined();
    expect(reopened.findOperation("op-2", "192.0.2.0/24")).toBeUndefined();
    expect(reopened.findOperation("op-5", "192.0.2.0/24")?.response.operationId).toBe("op-5");
    expect(reopened.get("192.0.2.0/24")?.operationId).toBe("op-5");
  });

  it("keeps concurrent records for different prefixes", async () => {
    const file = path.join(temp.dir, "state.json");
    const store = await StateStore.open(file);
    const prefixes = Array.from({ length: 20 }, (_, index) => `10.${index}.0.0/16`);
    await Promise.all(prefixes.map((prefix) => store.record(prefix, state)));
    const onDisk = JSON.parse(await readFile(file, "utf8")) as { prefixes: Record<string, unknown> };
    expect(Object.keys(onDisk.prefixes).sort()).toEqual([...prefixes].sort());
  });
});
