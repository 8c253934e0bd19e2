import { createSocket } from "node:dgram";
import { get } from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signRequest } from "@/lib/agent-protocol/signing";
import type { PutAnnouncementRequest } from "@/lib/agent-protocol/schemas";
import { SimSpeaker } from "./speakers/sim";
import { captureLogger, makeTempDir, startTestAgent, TEST_SECRET, type TestAgent } from "./test-helpers";

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let running: TestAgent | undefined;

beforeEach(async () => {
  temp = await makeTempDir();
});

afterEach(async () => {
  await running?.agent.stop();
  running = undefined;
  await temp.remove();
});

async function start(options: Parameters<typeof startTestAgent>[1] = {}): Promise<TestAgent> {
  running = await startTestAgent(temp.dir, options);
  return running;
}

/** A raw signed request, for what the typed client would refuse to send. */
async function signedFetch(url: string, method: string, path: string, body?: string, secret = TEST_SECRET) {
  const response = await fetch(`${url}${path}`, {
    method,
    body,
    headers: { authorization: signRequest({ secret, method, path, body }), "content-type": "application/json" },
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

const drain = (operationId: string, prepend = 3): PutAnnouncementRequest => ({
  prefix: "192.0.2.0/24",
  state: "drained",
  prepend,
  reason: "maintenance CHG-1",
  operationId,
});

describe("GET /v1/status", () => {
  it("reports the PoP, speaker, sessions, announcements, health checks and clock", async () => {
    const before = Date.now();
    // A DNS service that never answers: the first check is still in flight, so the state is unknown.
    const silent = createSocket("udp4");
    await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
    const target = `127.0.0.1:${silent.address().port}`;
    const { client } = await start({ overrides: { healthChecks: [{ name: "dns", kind: "dns", target, intervalMs: 20_000, timeoutMs: 10_000 }] } });
    const result = await client.status();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const status = result.value;
    expect(status).toMatchObject({ pop: "AMS1", speaker: { driver: "sim", up: true, error: null }, maintenance: false });
    expect(status.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(status.clock)).toBeGreaterThanOrEqual(before);
    expect(status.sessions.map((session) => [session.name, session.peerAsn, session.state, session.prefixesSent])).toEqual([
      ["transit-a", 64500, "established", 2],
      ["ams-ix", 64510, "established", 2],
    ]);
    expect(status.announcements.map(({ prefix, state, prepend, operationId }) => ({ prefix, state, prepend, operationId }))).toEqual([
      { prefix: "192.0.2.0/24", state: "announced", prepend: 0, operationId: null },
      { prefix: "2001:db8:100::/48", state: "announced", prepend: 0, operationId: null },
      { prefix: "198.51.100.0/24", state: "withdrawn", prepend: 0, operationId: null },
    ]);
    expect(status.health).toEqual([expect.objectContaining({ name: "dns", kind: "dns", state: "unknown" })]);
    silent.close();
  });

  it("reports a speaker that is down", async () => {
    const { client, speaker } = await start();
    speaker.setFault("control socket /run/bird.ctl: connection refused");
    const result = await client.status();
    expect(result.ok && result.value.speaker).toEqual({ driver: "sim", up: false, error: "control socket /run/bird.ctl: connection refused" });
    expect(result.ok && result.value.sessions.every((session) => session.state === "active")).toBe(true);
  });

  it("refuses unsigned, wrongly signed and expired requests", async () => {
    const { agent } = await start();
    const unsigned = await fetch(`${agent.url}/v1/status`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect(await signedFetch(agent.url, "GET", "/v1/status", undefined, "not-the-agent-secret")).toMatchObject({ status: 401 });
    const expired = await fetch(`${agent.url}/v1/status`, {
      headers: { authorization: signRequest({ secret: TEST_SECRET, method: "GET", path: "/v1/status", now: Date.now() - 60_000 }) },
    });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toContain("away from the agent's clock");
  });
});

describe("PUT /v1/announcements", () => {
  it("drains, withdraws and announces, on the speaker and in the status", async () => {
    const { client, speaker } = await start();
    const drained = await client.putAnnouncement({ ...drain("op-drain"), communities: ["65000:100", "65000:100", "64496:1:2"] });
    expect(drained).toMatchObject({ ok: true, value: { operationId: "op-drain", prefix: "192.0.2.0/24", state: "drained", prepend: 3, replayed: false } });
    expect((await speaker.status()).routes).toContainEqual({ prefix: "192.0.2.0/24", state: "drained", prepend: 3, communities: ["64496:1:2", "65000:100"] });

    const withdrawn = await client.putAnnouncement({ prefix: "2001:DB8:100::/48", state: "withdrawn", reason: "incident", operationId: "op-wd" });
    expect(withdrawn).toMatchObject({ ok: true, value: { prefix: "2001:db8:100::/48", state: "withdrawn", prepend: 0 } });

    const announced = await client.putAnnouncement({ prefix: "198.51.100.0/24", state: "announced", reason: "new PoP live", operationId: "op-ann" });
    expect(announced).toMatchObject({ ok: true, value: { state: "announced" } });

    const status = await client.status();
    expect(status.ok && status.value.announcements.map(({ prefix, state, prepend, reason, operationId }) => ({ prefix, state, prepend, reason, operationId }))).toEqual([
      { prefix: "192.0.2.0/24", state: "drained", prepend: 3, reason: "maintenance CHG-1", operationId: "op-drain" },
      { prefix: "2001:db8:100::/48", state: "withdrawn", prepend: 0, reason: "incident", operationId: "op-wd" },
      { prefix: "198.51.100.0/24", state: "announced", prepend: 0, reason: "new PoP live", operationId: "op-ann" },
    ]);
    expect(status.ok && status.value.sessions[0]?.prefixesSent).toBe(2);
  });

  it("keeps `since` when a new operation confirms the state already in force", async () => {
    const { client } = await start();
    const since = async () => {
      const status = await client.status();
      return status.ok ? status.value.announcements[0]?.since : undefined;
    };
    await client.putAnnouncement(drain("op-1"));
    const drainedSince = await since();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await client.putAnnouncement({ ...drain("op-2"), reason: "still in maintenance" });
    expect(await since()).toBe(drainedSince);
    await client.putAnnouncement(drain("op-3", 5));
    expect(await since()).not.toBe(drainedSince);
  });

  it("answers 400 with the field messages for a drain without prepend", async () => {
    const { agent, speaker } = await start();
    const apply = vi.spyOn(speaker, "apply");
    const body = JSON.stringify({ prefix: "192.0.2.0/24", state: "drained", reason: "x", operationId: "op-1" });
    expect(await signedFetch(agent.url, "PUT", "/v1/announcements", body)).toEqual({
      status: 400,
      body: { error: { code: "bad_request", message: "prepend: required when state is drained" } },
    });
    expect(await signedFetch(agent.url, "PUT", "/v1/announcements", "{not json")).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    expect(apply).not.toHaveBeenCalled();
  });

  it("answers 404 unknown_prefix for a prefix the agent does not serve", async () => {
    const { client } = await start();
    const result = await client.putAnnouncement({ ...drain("op-1"), prefix: "203.0.113.0/24" });
    expect(result).toEqual({
      ok: false,
      error: { code: "unknown_prefix", status: 404, message: "the agent at AMS1 has no 203.0.113.0/24 in its configuration: add it to the agent's config file" },
    });
  });

  it("replays an operation without calling the speaker again", async () => {
    const { client, speaker } = await start();
    const apply = vi.spyOn(speaker, "apply");
    const first = await client.putAnnouncement(drain("op-replay"));
    const second = await client.putAnnouncement(drain("op-replay"));
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.value).toEqual({ ...first.value, replayed: true });
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it("answers 409 for the same operationId and prefix with a different body, changing nothing", async () => {
    const { client, speaker } = await start();
    await client.putAnnouncement(drain("op-1", 3));
    const apply = vi.spyOn(speaker, "apply");
    const result = await client.putAnnouncement(drain("op-1", 6));
    expect(result).toMatchObject({ ok: false, error: { code: "operation_conflict", status: 409 } });
    expect(apply).not.toHaveBeenCalled();
    expect((await speaker.status()).routes).toContainEqual(expect.objectContaining({ prefix: "192.0.2.0/24", prepend: 3 }));
    // The same operationId on another prefix is another operation.
    expect(await client.putAnnouncement({ ...drain("op-1", 6), prefix: "2001:db8:100::/48" })).toMatchObject({ ok: true });
  });

  it("answers 502 when the speaker fails, leaving the state unchanged, and accepts a retry later", async () => {
    const { client, speaker } = await start();
    speaker.setFault("birdc: control socket not found");
    const result = await client.putAnnouncement(drain("op-1"));
    expect(result).toEqual({
      ok: false,
      error: { code: "speaker_error", status: 502, message: "speaker (sim) failed: birdc: control socket not found; 192.0.2.0/24 stays announced" },
    });
    const status = await client.status();
    expect(status.ok && status.value.announcements[0]).toMatchObject({ state: "announced", operationId: null });

    speaker.setFault(null);
    expect((await speaker.status()).routes).toContainEqual(expect.objectContaining({ prefix: "192.0.2.0/24", state: "announced" }));
    expect(await client.putAnnouncement(drain("op-1"))).toMatchObject({ ok: true, value: { state: "drained", replayed: false } });
  });

  it("reverts the speaker and answers 500 when the state file cannot be written", async () => {
    const { client, speaker, agent } = await start();
    vi.spyOn(agent.store, "record").mockRejectedValueOnce(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }));
    const result = await client.putAnnouncement(drain("op-1"));
    expect(result).toMatchObject({ ok: false, error: { code: "internal", status: 500 } });
    expect((await speaker.status()).routes).toContainEqual({ prefix: "192.0.2.0/24", state: "announced", prepend: 0, communities: [] });
  });

  it("serialises applies on one prefix and runs different prefixes in parallel", async () => {
    const speaker = new SimSpeaker({ upstreams: [], applyDelayMs: 200 });
    const { client } = await start({ speaker });
    const inFlight = new Map<string, number>();
    let maxSamePrefix = 0;
    let maxOverall = 0;
    const apply = speaker.apply.bind(speaker);
    vi.spyOn(speaker, "apply").mockImplementation(async (prefix, intent) => {
      inFlight.set(prefix, (inFlight.get(prefix) ?? 0) + 1);
      maxSamePrefix = Math.max(maxSamePrefix, inFlight.get(prefix) ?? 0);
      maxOverall = Math.max(maxOverall, [...inFlight.values()].reduce((sum, count) => sum + count, 0));
      try {
        await apply(prefix, intent);
      } finally {
        inFlight.set(prefix, (inFlight.get(prefix) ?? 1) - 1);
      }
    });

    const results = await Promise.all([
      client.putAnnouncement(drain("op-a", 2)),
      client.putAnnouncement(drain("op-b", 4)),
      client.putAnnouncement({ prefix: "2001:db8:100::/48", state: "withdrawn", reason: "x", operationId: "op-c" }),
    ]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(maxSamePrefix).toBe(1);
    expect(maxOverall).toBe(2);
    // The later of the two applies on 192.0.2.0/24 is the state in force.
    const lastPrepend = results.slice(0, 2).reduce((latest, result) => (result.ok && result.value.appliedAt > latest.at ? { at: result.value.appliedAt, prepend: result.value.prepend } : latest), { at: "", prepend: 0 });
    expect((await speaker.status()).routes).toContainEqual(expect.objectContaining({ prefix: "192.0.2.0/24", prepend: lastPrepend.prepend }));
  });

  it("answers 413 for a body over 64 KiB", async () => {
    const { agent } = await start();
    const body = JSON.stringify({ ...drain("op-1"), reason: "x".repeat(70 * 1024) });
    expect(await signedFetch(agent.url, "PUT", "/v1/announcements", body)).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });

    // Chunked, with no Content-Length to refuse up front: counted as it arrives.
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const chunked = await fetch(`${agent.url}/v1/announcements`, { method: "PUT", body: stream, duplex: "half" } as RequestInit);
    expect(chunked.status).toBe(413);
  });
});

describe("replayed requests", () => {
  const maintenance = (enabled: boolean, reason: string) => {
    const body = JSON.stringify({ enabled, reason });
    return { body, authorization: signRequest({ secret: TEST_SECRET, method: "PUT", path: "/v1/maintenance", body }) };
  };
  const send = async (url: string, { body, authorization }: ReturnType<typeof maintenance>) => {
    const response = await fetch(`${url}/v1/maintenance`, { method: "PUT", body, headers: { authorization, "content-type": "application/json" } });
    return { status: response.status, body: (await response.json()) as { enabled?: boolean; error?: { code: string; message: string } } };
  };

  it("acts on a signed PUT /v1/maintenance once: the same request sent again within its window is refused and changes nothing", async () => {
    const { agent, client } = await start();
    const on = maintenance(true, "CHG-7 captured on the wire");
    expect(await send(agent.url, on)).toMatchObject({ status: 200, body: { enabled: true } });
    expect(await send(agent.url, maintenance(false, "CHG-7 done"))).toMatchObject({ status: 200, body: { enabled: false } });

    const replay = await send(agent.url, on);
    expect(replay).toMatchObject({ status: 401, body: { error: { code: "unauthorized" } } });
    expect(replay.body.error?.message).toMatch(/already received, or signed before the agent started: a replay/);
    const status = await client.status();
    expect(status.ok && status.value.maintenance).toBe(false);
  });

  it("accepts the same change signed again, as the console signs every retry", async () => {
    const { agent } = await start();
    expect(await send(agent.url, maintenance(true, "CHG-8"))).toMatchObject({ status: 200, body: { enabled: true } });
    expect(await send(agent.url, maintenance(true, "CHG-8"))).toMatchObject({ status: 200, body: { enabled: true } });
  });

  it("lets a signed status read repeat", async () => {
    const { agent } = await start();
    const authorization = signRequest({ secret: TEST_SECRET, method: "GET", path: "/v1/status" });
    for (let i = 0; i < 2; i += 1) expect((await fetch(`${agent.url}/v1/status`, { headers: { authorization } })).status).toBe(200);
  });
});

describe("routing and logs", () => {
  it("tells the console to keep its connection open for longer than its 10 s poll interval", async () => {
    const { agent } = await start();
    const keepAlive = await new Promise<string | string[] | undefined>((resolve, reject) => {
      get(`${agent.url}/v1/status`, (response) => {
        response.resume();
        resolve(response.headers["keep-alive"]);
      }).on("error", reject);
    });
    expect(keepAlive).toBe("timeout=65");
  });

  it("answers 404 for an unknown path and 405 for a wrong method", async () => {
    const { agent } = await start();
    expect(await signedFetch(agent.url, "GET", "/v2/status")).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });
    const wrongMethod = await fetch(`${agent.url}/v1/announcements`, { method: "POST" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("PUT");
  });

  it("logs one line per request with method, path, status, ms and operationId, never the secret or signature", async () => {
    const capture = captureLogger();
    const { client } = await start({ logger: capture.logger });
    await client.putAnnouncement(drain("op-logged"));
    await client.status();
    const requests = capture
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === "request");
    expect(requests).toHaveLength(2);
    expect(requests).toEqual(expect.arrayContaining([
      expect.objectContaining({ method: "PUT", path: "/v1/announcements", status: 200, ms: expect.any(Number), operationId: "op-logged" }),
      expect.objectContaining({ method: "GET", path: "/v1/status", status: 200, ms: expect.any(Number) }),
    ]));
    const everything = capture.lines().join("\n");
    expect(everything).not.toContain(TEST_SECRET);
    expect(everything).not.toMatch(/Catchment-HMAC|sig=|authorization/i);
  });
});
