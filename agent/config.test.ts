import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveAgentConfig, SECRET_ENV, type Environment } from "./config";
import { agentConfigFile, makeTempDir, TEST_SECRET } from "./test-helpers";

let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await temp.remove();
});

const resolve = (input: unknown, env: Environment = {}) => resolveAgentConfig(input, { baseDir: temp.dir, env });

describe("resolveAgentConfig", () => {
  it("fills defaults, resolves paths against the config's folder and canonicalises prefixes", () => {
    const result = resolve({
      pop: "AMS1",
      listen: { port: 7101 },
      secret: TEST_SECRET,
      stateFile: "state/ams1.json",
      prefixes: [{ prefix: "2001:DB8:0100::/48" }, { prefix: "192.0.2.0/24", initialState: "drained", initialPrepend: 2 }],
      speaker: { driver: "sim" },
      healthChecks: [{ name: "dns", kind: "dns", target: "127.0.0.1:53" }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      listen: { host: "127.0.0.1", port: 7101 },
      stateFile: path.join(temp.dir, "state/ams1.json"),
      maxSkewMs: 30_000,
      prefixes: [
        { prefix: "2001:db8:100::/48", initialState: "announced" },
        { prefix: "192.0.2.0/24", initialState: "drained", initialPrepend: 2 },
      ],
      speaker: { driver: "sim", upstreams: [] },
      healthChecks: [{ name: "dns", kind: "dns", target: "127.0.0.1:53", intervalMs: 10_000, fastIntervalMs: 10_000, timeoutMs: 2000, rise: 2, fall: 2 }],
    });
  });

  it("takes a health check's fast interval, never longer than its interval", () => {
    const check = { name: "dns", kind: "dns", target: "127.0.0.1:53", intervalMs: 1000, timeoutMs: 500 };
    expect(resolve({ ...agentConfigFile(temp.dir), healthChecks: [{ ...check, fastIntervalMs: 250 }] })).toMatchObject({ ok: true, config: { healthChecks: [{ intervalMs: 1000, fastIntervalMs: 250 }] } });
    expect(resolve({ ...agentConfigFile(temp.dir), healthChecks: [{ ...check, fastIntervalMs: 2000 }] })).toEqual({
      ok: false,
      problems: ["healthChecks[0].fastIntervalMs: fastIntervalMs must not be longer than intervalMs"],
    });
  });

  it("reports one line per problem, each with its path", () => {
    const result = resolve({
      ...agentConfigFile(temp.dir),
      listen: { port: "7101" },
      prefixes: [{ prefix: "192.0.2.1/24" }, { prefix: "10.0.0.0/8", initialState: "drained" }, { prefix: "10.0.0.0/8" }],
      speaker: { driver: "sim", upstreams: [{ name: "t", peerAsn: 64500, peerAddress: "transit.example" }] },
      healthChecks: [{ name: "web", kind: "ping", target: "x", timeoutMs: 20_000 }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        "listen.port: Invalid input: expected number, received string",
        "prefixes[0].prefix: 192.0.2.1/24 has host bits set: did you mean 192.0.2.0/24?",
        "prefixes[1].initialPrepend: required when initialState is drained",
        "speaker.upstreams[0].peerAddress: not an IPv4 or IPv6 address",
        expect.stringMatching(/^healthChecks\[0\]\.kind: /),
      ]),
    );
  });

  it("reads the bird driver's include file under its name and its first one (prependFile)", () => {
    const bird = { driver: "bird", socket: "/run/bird/bird.ctl", includeFile: "/etc/bird/catchment.conf" };
    const now = resolve({ ...agentConfigFile(temp.dir), speaker: bird });
    const before = resolve({ ...agentConfigFile(temp.dir), speaker: { driver: "bird", socket: "/run/bird/bird.ctl", prependFile: "/etc/bird/catchment.conf" } });
    expect(now).toMatchObject({ ok: true, config: { speaker: { driver: "bird", includeFile: "/etc/bird/catchment.conf", birdc: "birdc" } } });
    expect(before).toEqual(now);
    expect(resolve({ ...agentConfigFile(temp.dir), speaker: { driver: "bird", socket: "/run/bird/bird.ctl" } })).toMatchObject({ ok: false, problems: [expect.stringMatching(/^speaker\.includeFile: /)] });
  });

  it("rejects duplicate prefixes, written differently", () => {
    const result = resolve({ ...agentConfigFile(temp.dir), prefixes: [{ prefix: "2001:db8::/32" }, { prefix: "2001:0DB8::/32" }] });
    expect(result).toEqual({ ok: false, problems: ["prefixes[1].prefix: duplicate of prefixes[0] (2001:db8::/32)"] });
  });

  it("takes the secret from the config, a secret file, or the environment", async () => {
    const { secret: _secret, ...noSecret } = agentConfigFile(temp.dir);
    await writeFile(path.join(temp.dir, "agent.secret"), "from-a-file-0123456789\n");
    expect(resolve({ ...noSecret, secretFile: "agent.secret" })).toMatchObject({ ok: true, config: { secret: "from-a-file-0123456789" } });
    expect(resolve(noSecret, { [SECRET_ENV]: "from-the-environment-01" })).toMatchObject({ ok: true, config: { secret: "from-the-environment-01" } });
    expect(resolve(noSecret)).toEqual({ ok: false, problems: [`secret: missing: set secret, secretFile, or the ${SECRET_ENV} environment variable`] });
    expect(resolve({ ...noSecret, secret: "short" })).toEqual({ ok: false, problems: ["secret: must be at least 16 characters"] });
    expect(resolve({ ...noSecret, secret: TEST_SECRET, secretFile: "agent.secret" })).toEqual({ ok: false, problems: ["secret: set either secret or secretFile, not both"] });
    expect(resolve({ ...noSecret, secretFile: "missing.secret" })).toEqual({
      ok: false,
      problems: [`secretFile: cannot read ${path.join(temp.dir, "missing.secret")} (ENOENT)`],
    });
  });

  it("refuses a short or sample secret when the agent listens beyond this machine", () => {
    const { secret: _secret, ...noSecret } = agentConfigFile(temp.dir);
    const exposed = (host: string, secret: string) => resolve({ ...noSecret, listen: { host, port: 7101 }, secret });
    const strong = "0123456789abcdef0123456789abcdef";
    expect(exposed("0.0.0.0", TEST_SECRET)).toEqual({
      ok: false,
      problems: [
        "secret: is shorter than 32 characters, and the agent would listen on 0.0.0.0, beyond this machine: use a random secret of 32+ characters (openssl rand -hex 32), or listen on 127.0.0.1",
      ],
    });
    expect(exposed("::", "demo-secret-0123456789")).toMatchObject({ ok: false, problems: [expect.stringContaining("is the sample from the documentation")] });
    expect(exposed("192.0.2.10", TEST_SECRET).ok).toBe(false);
    expect(exposed("192.0.2.10", strong).ok).toBe(true);
    for (const loopback of ["127.0.0.1", "127.0.0.53", "::1", "localhost"]) expect(exposed(loopback, TEST_SECRET).ok).toBe(true);
  });

  it("never copies the secret into a problem", () => {
    const result = resolve({ ...agentConfigFile(temp.dir), secret: 12345678901234567890, pop: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join("\n")).not.toContain("12345678901234567890");
  });
});

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs `npm run agent` as its script does (tsx), without npm in between. */
function runAgent(args: string[], { stopWhen }: { stopWhen?: (stdout: string) => boolean } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "agent/main.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, LOG_LEVEL: "info" },
    });
    let stdout = "";
    let stderr = "";
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stopWhen?.(stdout)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

// Each child takes a second or two to load under tsx: run them side by side, each in its own folder.
describe.concurrent("npm run agent", () => {
  async function tempFile(run: (file: string, dir: string) => Promise<void>) {
    const own = await makeTempDir();
    try {
      await run(path.join(own.dir, "agent.json"), own.dir);
    } finally {
      await own.remove();
    }
  }

  it("exits 1 on a bad config file with one line per problem and no stack", ({ expect }) =>
    tempFile(async (file, dir) => {
      await writeFile(file, JSON.stringify({ ...agentConfigFile(dir), listen: { port: -1 }, prefixes: [{ prefix: "192.0.2.1/24" }] }));
      const run = await runAgent(["--config", file]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([
        `${file}: listen.port: Too small: expected number to be >=0`,
        `${file}: prefixes[0].prefix: 192.0.2.1/24 has host bits set: did you mean 192.0.2.0/24?`,
      ]);
    }));

  it("serves, then stops cleanly with exit 0 on SIGTERM", ({ expect }) =>
    tempFile(async (file, dir) => {
      await writeFile(file, JSON.stringify(agentConfigFile(dir)));
      const run = await runAgent(["--config", file], { stopWhen: (stdout) => stdout.includes('"msg":"agent listening"') });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      expect(run.stdout).toContain('"msg":"agent stopped"');
      expect(run.stdout).not.toContain(TEST_SECRET);
    }));
});
