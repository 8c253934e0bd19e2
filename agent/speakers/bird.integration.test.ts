import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bestPath, parseRoutes } from "./bird-parse";
import { BirdSpeaker, staticProtocolName } from "./bird";
import { SpeakerError } from "./speaker";

// A real BIRD 2 on a private control socket, with a second BIRD as its upstream over
// loopback (127.0.0.1 <-> 127.0.0.2), so "exported" means what the peer really received.
const hasBird = spawnSync("bird", ["--version"]).error === undefined;
if (!hasBird) console.warn("\n!!! bird.integration: BIRD 2 is not installed (apt-get install -y bird2): SKIPPING the BIRD driver tests !!!\n");

const PORT_POP = 24790;
const PORT_PEER = 24791;
const PREFIX = "192.0.2.0/24";
const OTHER = "198.51.100.0/24";

const TIMERS = "hold time 6; keepalive time 2; connect delay time 1; connect retry time 2; error wait time 1,5;";

describe.skipIf(!hasBird)("BIRD driver against a real BIRD", () => {
  let dir: string;
  const birdc = (socket: string, ...args: string[]) => spawnSync("birdc", ["-s", socket, ...args], { encoding: "utf8" }).stdout;
  const popConf = (includeFile: string) => `router id 10.255.0.1;
include "${includeFile}";
protocol device {}
filter catchment_out { if source != RTS_STATIC then reject; catchment_export(); accept; }
protocol bgp upstream1 {
  local 127.0.0.1 port ${PORT_POP} as 64500; neighbor 127.0.0.2 port ${PORT_PEER} as 64601; multihop;
  ${TIMERS}
  ipv4 { import none; export filter catchment_out; };
}
`;
  const peerConf = `router id 10.255.0.2;
protocol device {}
protocol bgp pop { local 127.0.0.2 port ${PORT_PEER} as 64601; neighbor 127.0.0.1 port ${PORT_POP} as 64500; multihop; ${TIMERS}
  ipv4 { import all; export none; }; }
`;
  let pop: { socket: string; pid: string; conf: string; include: string };
  let peer: { socket: string; pid: string; conf: string };

  const startBird = (daemon: { socket: string; pid: string; conf: string }) => {
    const result = spawnSync("bird", ["-s", daemon.socket, "-P", daemon.pid, "-c", daemon.conf], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`bird did not start: ${result.stderr}`);
  };
  const killBird = async (daemon: { pid: string }, signal: NodeJS.Signals = "SIGTERM") => {
    if (!existsSync(daemon.pid)) return;
    const pid = Number((await readFile(daemon.pid, "utf8")).trim());
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (let i = 0; i < 50; i += 1) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(20);
    }
  };
  /** What the upstream BIRD has received for a prefix, its best (and only) path (null: nothing). */
  const received = (prefix: string) => bestPath(parseRoutes(birdc(peer.socket, "show", "route", prefix, "all")), prefix);
  const eventually = async <T>(read: () => T, ok: (value: T) => boolean, timeoutMs = 8000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let value = read();
    while (!ok(value) && Date.now() < deadline) {
      await sleep(50);
      value = read();
    }
    return value;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ctm-bird-"));
    pop = { socket: path.join(dir, "pop.ctl"), pid: path.join(dir, "pop.pid"), conf: path.join(dir, "pop.conf"), include: path.join(dir, "catchment.conf") };
    peer = { socket: path.join(dir, "peer.ctl"), pid: path.join(dir, "peer.pid"), conf: path.join(dir, "peer.conf") };
    // The file the agent owns must exist before BIRD first reads its config.
    await writeFile(pop.include, "function catchment_export() { }\n");
    await writeFile(pop.conf, popConf(pop.include));
    await writeFile(peer.conf, peerConf);
    startBird(pop);
    startBird(peer);
  });

  afterAll(async () => {
    if (!dir) return;
    await killBird(pop);
    await killBird(peer);
    await rm(dir, { recursive: true, force: true });
  });

  it("announces, drains with prepends and communities, withdraws with the session kept up, and survives a configure", async () => {
    const speaker = new BirdSpeaker({ socket: pop.socket, includeFile: pop.include, asn: 64500 });
    await speaker.start();
    await speaker.apply(PREFIX, { state: "announced", prepend: 0, communities: [] });
    await speaker.apply(OTHER, { state: "announced", prepend: 0, communities: [] });
    const announced = await eventually(() => received(PREFIX), (route) => route?.asPath.length === 1);
    expect(announced?.asPath).toEqual([64500]);

    const sessionSince = (await speaker.status()).sessions[0]?.since;
    await speaker.apply(PREFIX, { state: "drained", prepend: 3, communities: ["64500:666", "64500:1:2"] });
    const drained = await eventually(() => received(PREFIX), (route) => route?.asPath.length === 4);
    expect(drained?.asPath).toEqual([64500, 64500, 64500, 64500]);
    expect(drained?.communities.sort()).toEqual(["64500:1:2", "64500:666"]);
    expect(received(OTHER)?.asPath).toEqual([64500]);
    // The agent reports per session what it exports, as the peer receives it.
    const exports = (await speaker.status()).sessions[0]?.exports;
    expect(exports).toEqual([
      { prefix: PREFIX, asPath: [64500, 64500, 64500, 64500], communities: ["64500:1:2", "64500:666"] },
      { prefix: OTHER, asPath: [64500], communities: [] },
    ]);
    // Idempotent: the same state again changes nothing.
    await speaker.apply(PREFIX, { state: "drained", prepend: 3, communities: ["64500:666", "64500:1:2"] });

    await speaker.apply(PREFIX, { state: "withdrawn", prepend: 0, communities: [] });
    expect(await eventually(() => received(PREFIX), (route) => route === null)).toBeNull();
    expect(received(OTHER)).not.toBeNull();
    // A later configure (by anyone) keeps it withdrawn: the state is in the included file.
    expect(birdc(pop.socket, "configure")).toMatch(/Reconfigured/);
    await sleep(300);
    expect(received(PREFIX)).toBeNull();

    const status = await speaker.status();
    expect(status.up).toBe(true);
    expect(status.sessions).toEqual([
      expect.objectContaining({ name: "upstream1", peerAsn: 64601, peerAddress: "127.0.0.2", state: "established", prefixesSent: 1, prefixesReceived: 0 }),
    ]);
    // The session never flapped through drain, withdraw and configure.
    expect(status.sessions[0]?.since).toBe(sessionSince);
    expect(status.routes).toEqual([
      { prefix: PREFIX, state: "withdrawn", prepend: 0, communities: [] },
      { prefix: OTHER, state: "announced", prepend: 0, communities: [] },
    ]);
    expect(birdc(pop.socket, "show", "protocols", staticProtocolName(PREFIX))).toMatch(/down/);

    await speaker.apply(PREFIX, { state: "announced", prepend: 0, communities: [] });
    expect((await eventually(() => received(PREFIX), (route) => route?.asPath.length === 1))?.asPath).toEqual([64500]);

    // A restarted agent learns every prefix's state from the file: applying one prefix keeps the other.
    await speaker.apply(OTHER, { state: "drained", prepend: 2, communities: [] });
    const restarted = new BirdSpeaker({ socket: pop.socket, includeFile: pop.include });
    await restarted.start();
    await restarted.apply(PREFIX, { state: "announced", prepend: 0, communities: [] });
    expect((await eventually(() => received(OTHER), (route) => route?.asPath.length === 3))?.asPath).toEqual([64500, 64500, 64500]);
    expect((await restarted.status()).routes.find((route) => route.prefix === OTHER)).toEqual({ prefix: OTHER, state: "drained", prepend: 2, communities: [] });
  });

  it("keeps the previous config in force when BIRD rejects the new one, and says why", async () => {
    const speaker = new BirdSpeaker({ socket: pop.socket, includeFile: pop.include, asn: 64500 });
    await speaker.start();
    await speaker.apply(PREFIX, { state: "announced", prepend: 0, communities: [] });
    const before = await readFile(pop.include, "utf8");
    // An operator breaks bird.conf: the driver's configure is refused.
    const good = await readFile(pop.conf, "utf8");
    await writeFile(pop.conf, `${good}\nprotocol bogus {`);
    try {
      const error = await speaker.apply(PREFIX, { state: "drained", prepend: 2, communities: [] }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SpeakerError);
      expect((error as SpeakerError).code).toBe("rejected");
      expect((error as SpeakerError).message).toMatch(/BIRD rejected the new configuration \(.*pop\.conf:\d+:\d+ .*\); the previous configuration stays in force/);
      expect(await readFile(pop.include, "utf8")).toBe(before);
      await sleep(300);
      expect(received(PREFIX)?.asPath).toEqual([64500]);
    } finally {
      await writeFile(pop.conf, good);
    }
    // Fixed: the same apply now works.
    await speaker.apply(PREFIX, { state: "drained", prepend: 2, communities: [] });
    expect((await eventually(() => received(PREFIX), (route) => route?.asPath.length === 3))?.asPath).toEqual([64500, 64500, 64500]);
    await speaker.apply(PREFIX, { state: "announced", prepend: 0, communities: [] });
  });

  it("gives clear errors for a missing birdc, a gone socket and a dead daemon", async () => {
    const noBirdc = new BirdSpeaker({ socket: pop.socket, includeFile: pop.include, birdc: path.join(dir, "no-such-birdc") });
    await expect(noBirdc.start()).rejects.toThrow(/birdc not found .*install BIRD 2/);

    const noSocket = new BirdSpeaker({ socket: path.join(dir, "gone.ctl"), includeFile: pop.include });
    await expect(noSocket.start()).rejects.toMatchObject({ code: "not_running", message: expect.stringMatching(/control socket .*gone\.ctl is gone/) });

    // kill -9: BIRD leaves its socket file behind; nothing answers on it.
    const speaker = new BirdSpeaker({ socket: pop.socket, includeFile: pop.include, asn: 64500 });
    await speaker.start();
    expect((await speaker.status()).sessions[0]?.state).toBe("established");
    const before = await readFile(pop.include, "utf8");
    await killBird(pop, "SIGKILL");
    const apply = await speaker.apply(PREFIX, { state: "withdrawn", prepend: 0, communities: [] }).catch((caught: unknown) => caught);
    expect(apply).toMatchObject({ code: "not_running" });
    expect(await readFile(pop.include, "utf8")).toBe(before);
    const status = await speaker.status();
    expect(status.up).toBe(false);
    expect(status.error).toMatch(/BIRD is not running|is gone/);
    expect(status.sessions).toEqual([expect.objectContaining({ name: "upstream1", peerAddress: "127.0.0.2", state: "idle" })]);
    // The upstream saw the session drop and lost the route.
    expect(await eventually(() => received(PREFIX), (route) => route === null)).toBeNull();

    startBird(pop);
    await speaker.start();
    expect((await eventually(() => received(PREFIX), (route) => route !== null))?.asPath).toEqual([64500]);
  });
});
