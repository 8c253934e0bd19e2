import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { decode, encode, type Packet } from "dns-packet";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkDns, checkHttp, checkTcp, DEFAULT_DNS_QUERY, parseHostPort } from "./checks";

// Real servers on 127.0.0.1 that the tests start, break and stop: no mocks.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

type DnsMode = "answer" | "refuse" | "silent" | "empty" | "garbage" | "wrong-id";

/** A CHAOS-answering DNS server whose behaviour the test switches. */
async function startDnsServer(identity = "ams1.example") {
  const socket: UdpSocket = createSocket("udp4");
  const state = { mode: "answer" as DnsMode, queries: [] as Packet[] };
  socket.on("message", (message, remote) => {
    const query = decode(message);
    state.queries.push(query);
    const reply = (packet: Partial<Packet> & { rcode?: string }) => socket.send(encode({ id: query.id, type: "response", flags: 0x8400, questions: query.questions, ...packet } as Packet), remote.port, remote.address);
    switch (state.mode) {
      case "answer":
        return reply({ answers: [{ type: "TXT", class: "CH", name: "hostname.bind", ttl: 0, data: identity }] as Packet["answers"] });
      case "refuse":
        return reply({ flags: 0x8405 });
      case "empty":
        return reply({ answers: [] });
      case "garbage":
        return socket.send(Buffer.from([1, 2, 3]), remote.port, remote.address);
      case "wrong-id":
        return socket.send(encode({ id: (query.id! + 1) % 0x10000, type: "response", answers: [] } as Packet), remote.port, remote.address);
      case "silent":
        return;
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  cleanups.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return { port, state };
}

async function listen(server: HttpServer | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: HttpServer | TcpServer) =>
  new Promise<void>((resolve) => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    server.close(() => resolve());
  });

describe("target parsing", () => {
  it("reads host:port, [v6]:port and a bare address with a default port", () => {
    expect(parseHostPort("127.0.0.1:5353")).toEqual({ host: "127.0.0.1", port: 5353 });
    expect(parseHostPort("[::1]:53")).toEqual({ host: "::1", port: 53 });
    expect(parseHostPort("::1", 53)).toEqual({ host: "::1", port: 53 });
    expect(parseHostPort("127.0.0.1", 53)).toEqual({ host: "127.0.0.1", port: 53 });
    expect(parseHostPort("127.0.0.1")).toBeNull();
    expect(parseHostPort("127.0.0.1:70000")).toBeNull();
    expect(parseHostPort(":53")).toBeNull();
  });
});

describe("DNS check over real UDP", () => {
  it("passes on a CHAOS TXT hostname.bind answer and asks exactly that question", async () => {
    const dns = await startDnsServer("ams1.example");
    const result = await checkDns({ host: "127.0.0.1", port: dns.port }, DEFAULT_DNS_QUERY, 1000);
    expect(result.ok).toBe(true);
    expect(result.detail).toContain("ams1.example");
    expect(dns.state.queries[0]?.questions).toEqual([{ name: "hostname.bind", type: "TXT", class: "CH" }]);
  });

  it("fails on REFUSED, on NOERROR with no answer, and on a malformed answer", async () => {
    const dns = await startDnsServer();
    const target = { host: "127.0.0.1", port: dns.port };
    dns.state.mode = "refuse";
    expect(await checkDns(target, DEFAULT_DNS_QUERY, 1000)).toMatchObject({ ok: false, detail: expect.stringContaining("REFUSED") });
    dns.state.mode = "empty";
    expect(await checkDns(target, DEFAULT_DNS_QUERY, 1000)).toMatchObject({ ok: false, detail: expect.stringContaining("no answer") });
    dns.state.mode = "garbage";
    expect(await checkDns(target, DEFAULT_DNS_QUERY, 1000)).toMatchObject({ ok: false, detail: expect.stringContaining("malformed") });
  });

  it("fails within the timeout when the server is silent, or answers with another id", async () => {
    const dns = await startDnsServer();
    dns.state.mode = "silent";
    // The check's own timer, faked: it gives up at 300 ms, not before (no wall-clock bound to flake).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let result: Awaited<ReturnType<typeof checkDns>> | null = null;
      void checkDns({ host: "127.0.0.1", port: dns.port }, DEFAULT_DNS_QUERY, 300).then((value) => (result = value));
      await vi.advanceTimersByTimeAsync(299);
      expect(result).toBeNull();
      await vi.advanceTimersByTimeAsync(1);
      expect(result).toMatchObject({ ok: false, detail: expect.stringContaining("within 300 ms") });
    } finally {
      vi.useRealTimers();
    }
    dns.state.mode = "wrong-id";
    expect((await checkDns({ host: "127.0.0.1", port: dns.port }, DEFAULT_DNS_QUERY, 300)).ok).toBe(false);
  });

  it("fails when nothing listens (the service stopped)", async () => {
    const dns = await startDnsServer();
    await cleanups.pop()!();
    const result = await checkDns({ host: "127.0.0.1", port: dns.port }, DEFAULT_DNS_QUERY, 500);
    expect(result.ok).toBe(false);
  });

  it("asks a configured question", async () => {
    const dns = await startDnsServer();
    await checkDns({ host: "127.0.0.1", port: dns.port }, { name: "example.org", type: "A", class: "IN" }, 1000);
    expect(dns.state.queries[0]?.questions).toEqual([{ name: "example.org", type: "A", class: "IN" }]);
  });
});

describe("HTTP check against a real server", () => {
  it("passes on 2xx and 3xx, fails on 4xx/5xx, on a slow answer and when stopped", async () => {
    let status = 200;
    let delayMs = 0;
    const server = createHttpServer((request, response) => {
      setTimeout(() => {
        response.writeHead(status, status === 302 ? { location: "http://127.0.0.1:1/elsewhere" } : {});
        response.end("ok");
      }, delayMs);
    });
    const port = await listen(server);
    cleanups.push(() => close(server));
    const url = `http://127.0.0.1:${port}/health`;
    expect(await checkHttp(url, 1000)).toMatchObject({ ok: true, detail: expect.stringContaining("HTTP 200") });
    status = 302;
    expect((await checkHttp(url, 1000)).ok).toBe(true);
    status = 503;
    expect(await checkHttp(url, 1000)).toMatchObject({ ok: false, detail: expect.stringContaining("HTTP 503") });
    status = 404;
    expect((await checkHttp(url, 1000)).ok).toBe(false);
    status = 200;
    delayMs = 600;
    expect(await checkHttp(url, 200)).toMatchObject({ ok: false, detail: expect.stringContaining("within 200 ms") });
    delayMs = 0;
    await cleanups.pop()!();
    expect(await checkHttp(url, 500)).toMatchObject({ ok: false, detail: expect.stringContaining("failed") });
  });
});

describe("TCP check against a real listener", () => {
  it("passes while something accepts, fails once it stops", async () => {
    const server = createTcpServer((socket) => socket.end());
    const port = await listen(server);
    cleanups.push(() => close(server));
    expect(await checkTcp({ host: "127.0.0.1", port }, 500)).toMatchObject({ ok: true });
    await cleanups.pop()!();
    expect(await checkTcp({ host: "127.0.0.1", port }, 500)).toMatchObject({ ok: false, detail: expect.stringContaining("ECONNREFUSED") });
  });
});
