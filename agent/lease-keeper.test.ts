import { describe, expect, it } from "vitest";
import type { LeaseRequest, LeaseResponse } from "@/lib/agent-protocol/schemas";
import type { ConsoleLink, ConsoleResult } from "./console-link";
import { LeaseKeeper, leaseMargin } from "./lease-keeper";
import { fakeClock, silentLogger } from "./test-helpers";

const PREFIX = "192.0.2.0/24";
const TTL = 30_000;

/** A console that answers lease requests as told, and records them. */
function fakeConsole(answer: (request: LeaseRequest) => ConsoleResult<LeaseResponse>) {
  const requests: LeaseRequest[] = [];
  const link: ConsoleLink = {
    report: async () => ({ ok: true, value: { events: 0 } }),
    lease: async (request) => {
      requests.push(request);
      return answer(request);
    },
  };
  return { link, requests, actions: () => requests.map((request) => request.action) };
}

const granted = (request: LeaseRequest): ConsoleResult<LeaseResponse> => ({ ok: true, value: { granted: true, leaseId: request.leaseId ?? "lease-1", ttlMs: TTL, expiresAt: "2026-12-05T12:00:30.000Z", message: "granted" } });
const refused: ConsoleResult<LeaseResponse> = { ok: true, value: { granted: false, leaseId: null, ttlMs: null, expiresAt: null, message: "the floor would break" } };

function keeper(link: ConsoleLink, wanted: { value: boolean }) {
  const time = fakeClock();
  const reconciled: string[] = [];
  const leases = new LeaseKeeper(
    link,
    { wants: () => wanted.value, reason: () => "health check dns down", reconcile: async (prefix) => void reconciled.push(prefix) },
    { logger: silentLogger(), clock: time.clock, retryMs: 10_000 },
  );
  return { leases, time, reconciled };
}

describe("LeaseKeeper", () => {
  it("holds a granted lease until a margin before the console's expiry, renewing it at a third of its time", async () => {
    const console_ = fakeConsole(granted);
    const { leases, time, reconciled } = keeper(console_.link, { value: true });
    await leases.update(PREFIX);
    expect(leases.held(PREFIX)).toBe(true);
    expect(reconciled).toEqual([PREFIX]);
    await time.advance(TTL / 3);
    expect(console_.actions()).toEqual(["acquire", "renew"]);
    // Renewed at 10 s for another 30 s: still held at 35 s, past the first lease's deadline.
    await time.advance(25_000 - TTL / 3 + 10_000);
    expect(leases.held(PREFIX)).toBe(true);
    leases.stop();
    expect(time.pending()).toEqual([]);
  });

  it("stops counting on a lease it cannot renew before the console would expire it, and asks again later", async () => {
    let reachable = true;
    const console_ = fakeConsole((request) => (reachable ? granted(request) : { ok: false, message: "console unreachable" }));
    const { leases, time, reconciled } = keeper(console_.link, { value: true });
    await leases.update(PREFIX);
    reachable = false;
    await time.advance(TTL - leaseMargin(TTL) - 1);
    expect(leases.held(PREFIX)).toBe(true);
    await time.advance(1);
    expect(leases.held(PREFIX)).toBe(false);
    // Announced drained again at the deadline (a reconcile), well before the console's expiry.
    expect(reconciled).toEqual([PREFIX, PREFIX]);
    reachable = true;
    await time.advance(10_000);
    expect(leases.held(PREFIX)).toBe(true);
    expect(console_.actions().filter((action) => action === "acquire")).toHaveLength(2);
    leases.stop();
  });

  it("stays drained when the console refuses, and asks again after the retry time", async () => {
    let answer: ConsoleResult<LeaseResponse> | null = refused;
    const console_ = fakeConsole((request) => answer ?? granted(request));
    const { leases, time } = keeper(console_.link, { value: true });
    await leases.update(PREFIX);
    expect(leases.held(PREFIX)).toBe(false);
    await time.advance(9_999);
    expect(console_.actions()).toEqual(["acquire"]);
    answer = null;
    await time.advance(1);
    expect(console_.actions()).toEqual(["acquire", "acquire"]);
    expect(leases.held(PREFIX)).toBe(true);
    leases.stop();
  });

  it("announces again first, then gives the lease back, once it is no longer needed", async () => {
    const wanted = { value: true };
    const console_ = fakeConsole(granted);
    const { leases, reconciled } = keeper(console_.link, wanted);
    await leases.update(PREFIX);
    wanted.value = false;
    let heldAtRelease: boolean | null = null;
    const release = console_.link.lease;
    console_.link.lease = async (request) => {
      if (request.action === "release") heldAtRelease = leases.held(PREFIX);
      return release(request);
    };
    await leases.update(PREFIX);
    expect(console_.actions()).toEqual(["acquire", "release"]);
    expect(heldAtRelease).toBe(false);
    expect(reconciled).toEqual([PREFIX, PREFIX]);
  });
});
