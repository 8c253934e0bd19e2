import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalControl } from "./local-control";
import { SimSpeaker } from "./speakers/sim";
import { StateStore } from "./state-store";
import { agentConfig, fakeClock, makeTempDir, silentLogger } from "./test-helpers";

const PREFIX = "192.0.2.0/24";

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

describe("LocalControl", () => {
  it("looks for the maintenance file on its clock: drains once it is seen, restores once it is gone", async () => {
    const file = path.join(temp.dir, "maintenance");
    const config = agentConfig(temp.dir, { healthChecks: [], maintenanceFile: file });
    const time = fakeClock();
    const speaker = new SimSpeaker({ upstreams: [] });
    await speaker.start();
    const control = new LocalControl(config, speaker, await StateStore.open(config.stateFile), {
      logger: silentLogger(),
      clock: time.clock,
      maintenanceFilePollMs: 1000,
    });
    await control.applyAtStart();
    control.start();
    await writeFile(file, "");
    await time.advance(999);
    expect(control.wireState(PREFIX).state).toBe("announced");
    await time.advance(1);
    expect(control.wireState(PREFIX)).toMatchObject({ state: "drained", cause: "maintenance" });
    await rm(file);
    await time.advance(1000);
    expect(control.wireState(PREFIX)).toMatchObject({ state: "announced", cause: "console" });
    await control.stop();
    expect(time.pending()).toEqual([]);
  });
});
