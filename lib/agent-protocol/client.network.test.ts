import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAgentClient, MAX_AGENT_RESPONSE_BYTES } from "./client";
import { ReplayGuard } from "./replay-guard";
import { verifyRequest } from "./signing";

const secret = "client-test-secret-91b2";
const servers: Server[] = [];

async function serve(handler: (request: IncomingMessage, response: ServerResponse, body: string) => void): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      requests.push(`${request.method} ${request.url}`);
      handler(request, response, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const drain = { prefix: "192.0.2.0/24", state: "drained", prepend: 3, reason: "maintenance", operationId: "op-1" } as const;

describe("createAgentClient", () => {
  it("times out against an agent that accepts but never answers", async () => {
    const { url } = await serve(() => undefined);
    const client = createAgentClient({ url, secret, timeoutMs: 300 });
    const started = performance.now();
    const result = await client.status();
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: false, error: { code: "timeout", message: `agent ${url} did not answer within 300 ms` } });
    // It waited for the timeout it was given (the answer names it); no upper bound, which a busy machine breaks.
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it("signs every call anew, so the console's retry of a failed PUT is not refused as a replay", async () => {
    const guard = new ReplayGuard();
    const verdicts: string[] = [];
    const { url } = await serve((request, response, body) => {
      const verdict = verifyRequest({ secret, method: request.method!, path: request.url!, body, authorization: request.headers.authorization });
      const fresh = verdict.ok && guard.accept(verdict.signature, verdict.timestamp);
      verdicts.push(fresh ? "fresh" : "replay");
      // The first attempt meets an agent briefly overloaded; the caller retries at once.
      if (verdicts.length === 1) return json(response, 503, { error: { code: "internal", message: "busy" } });
      json(response, 200, { operationId: "op-1", prefix: "192.0.2.0/24", state: "drained", prepend: 3, appliedAt: new Date().toISOString(), replayed: false });
    });
    const client = createAgentClient({ url, secret });
    expect((await client.putAnnouncement(drain)).ok).toBe(false);
    expect((await client.putAnnouncement(drain)).ok).toBe(true);
    expect(verdicts).toEqual(["fresh", "fresh"]);
  });

  it("reports a refused connection as unreachable", async () => {
    const { url } = await serve(() => undefined);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const result = await createAgentClient({ url, secret }).status();
    expect(result).toEqual({ ok: false, error: { code: "unreachable", message: `agent ${url} is unreachable (ECONNREFUSED)` } });
  });

  it("reports a body that is not JSON as bad_response", async () => {
    const { url } = await serve((_request, response) => response.end("<html>proxy error</html>"));
    const result = await createAgentClient({ url, secret }).status();
    expect(result).toMatchObject({ ok: false, error: { code: "bad_response", status: 200 } });
    if (!result.ok) expect(result.error.message).toContain("not JSON");
  });

  it("refuses an answer that declares more than the limit, and one streamed past it, without reading it all", async () => {
    const endless = await serve((_request, response) => {
      // Chunked, no length: 64 KiB pieces for as long as the client reads.
      response.writeHead(200, { "content-type": "application/json" });
      const piece = Buffer.alloc(64 * 1024, " ");
      let sent = 0;
      const pump = () => {
        while (!response.destroyed && sent < 64 * MAX_AGENT_RESPONSE_BYTES) {
          sent += piece.length;
          if (!response.write(piece)) return void response.once("drain", pump);
        }
        response.end();
      };
      response.write("{");
      pump();
      response.on("close", () => (sent = Infinity));
    });
    const declared = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": String(MAX_AGENT_RESPONSE_BYTES + 1) });
      response.write("{");
    });
    for (const { url } of [endless, declared]) {
      const result = await createAgentClient({ url, secret }).status();
      expect(result).toMatchObject({ ok: false, error: { code: "bad_response", status: 200 } });
      if (!result.ok) expect(result.error.message).toContain("larger than 2 MiB; not read");
    }
  });

  it("reports JSON that breaks the schema as bad_response, naming the fields", async () => {
    const { url } = await serve((_request, response) => json(response, 200, { pop: 1 }));
    const result = await createAgentClient({ url, secret }).status();
    expect(result).toMatchObject({ ok: false, error: { code: "bad_response", status: 200 } });
    if (!result.ok) expect(result.error.message).toMatch(/pop: .*expected string/);
  });

  it("passes the agent's error through with its HTTP status", async () => {
    const { url } = await serve((_request, response) =>
      json(response, 409, { error: { code: "operation_conflict", message: "operation op-1 was already applied" } }),
    );
    const result = await createAgentClient({ url, secret }).putAnnouncement(drain);
    expect(result).toEqual({ ok: false, error: { code: "operation_conflict", message: "operation op-1 was already applied", status: 409 } });
  });

  it("reports a non-2xx answer without an error body as bad_response", async () => {
    const { url } = await serve((_request, response) => json(response, 503, { status: "down" }));
    const result = await createAgentClient({ url, secret }).status();
    expect(result).toMatchObject({ ok: false, error: { code: "bad_response", status: 503 } });
  });

  it("signs requests against the full request path, under a base path too", async () => {
    let verdict: ReturnType<typeof verifyRequest> | undefined;
    const { url, requests } = await serve((request, response, body) => {
      verdict = verifyRequest({ secret, method: request.method!, path: request.url!, body, authorization: request.headers.authorization });
      json(response, 200, { operationId: "op-1", prefix: "192.0.2.0/24", state: "drained", prepend: 3, appliedAt: new Date().toISOString(), replayed: false });
    });
    const result = await createAgentClient({ url: `${url}/agents/ams1`, secret }).putAnnouncement(drain);
    expect(result.ok).toBe(true);
    expect(requests).toEqual(["PUT /agents/ams1/v1/announcements"]);
    expect(verdict?.ok).toBe(true);
  });

  it("refuses an invalid request locally, without calling the agent", async () => {
    const { url, requests } = await serve((_request, response) => json(response, 500, {}));
    const result = await createAgentClient({ url, secret }).putAnnouncement({ ...drain, prepend: 0 });
    expect(result).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(requests).toEqual([]);
  });

  it("never puts the secret or URL credentials in its messages", async () => {
    const { url } = await serve(() => undefined);
    const withCredentials = url.replace("http://", "http://admin:hunter2@");
    const client = createAgentClient({ url: withCredentials, secret, timeoutMs: 100 });
    const result = await client.status();
    expect(client.url).toBe(url);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).not.toContain(secret);
      expect(result.error.message).not.toContain("hunter2");
    }
  });

  it("does not throw on a URL that cannot be used", async () => {
    const result = await createAgentClient({ url: "ftp://agent", secret }).status();
    expect(result).toMatchObject({ ok: false, error: { code: "unreachable" } });
  });
});
