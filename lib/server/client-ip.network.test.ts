import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientIpFrom, stampClientAddresses } from "./client-ip";

describe("clientIpFrom", () => {
  it("takes the last hop: the one the console's server or a trusted proxy wrote", () => {
    expect(clientIpFrom("6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(clientIpFrom(" 2001:db8::1 ")).toBe("2001:db8::1");
  });

  it("writes an IPv4 client of a dual-stack socket as IPv4", () => {
    expect(clientIpFrom("::ffff:127.0.0.1")).toBe("127.0.0.1");
  });

  it("is null for nothing or something that is not an address", () => {
    expect(clientIpFrom("")).toBeNull();
    expect(clientIpFrom(null)).toBeNull();
    expect(clientIpFrom("evil.example")).toBeNull();
  });
});

describe("stampClientAddresses", () => {
  const servers: http.Server[] = [];
  const trust = process.env.CATCHMENT_TRUST_PROXY;
  afterEach(async () => {
    process.env.CATCHMENT_TRUST_PROXY = trust;
    if (trust === undefined) delete process.env.CATCHMENT_TRUST_PROXY;
    await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
  });

  /** What a handler of this process's HTTP server reads as the client's address. */
  async function addressSeen(headers: Record<string, string>): Promise<string | null> {
    const server = http.createServer((request, response) => {
      response.end(JSON.stringify(clientIpFrom(request.headers["x-forwarded-for"] as string | undefined)));
    });
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
    return response.json();
  }

  it("replaces a client's X-Forwarded-For by the socket's address", async () => {
    stampClientAddresses();
    expect(await addressSeen({ "x-forwarded-for": "203.0.113.66" })).toBe("127.0.0.1");
    expect(await addressSeen({})).toBe("127.0.0.1");
  });

  it("behind a trusted proxy, leaves the header as the proxy wrote it", async () => {
    stampClientAddresses();
    process.env.CATCHMENT_TRUST_PROXY = "1";
    expect(await addressSeen({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" })).toBe("203.0.113.9");
  });
});
