// Issue #14, point 2, reproduced as found: an unsigned 1 GiB POST at an agent route took the
// console's server to 3.3 GB RSS, because the route read the whole body before it looked up
// the PoP or checked the signature. Runs the console as a user does (npm start's script) and
// watches its Next.js server's resident memory while the bodies are sent.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUTH_SCHEME } from "@/lib/agent-protocol/signing";
import { startConsole, type ConsoleProcess } from "@/test/support/console-process";
import { memoryOf, pidListening } from "@/test/support/process-info";

const PORT = 4150;
const GIB = 1024 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "x");

let dataDir: string;
let running: ConsoleProcess | undefined;
let serverPid: number;

/**
 * POSTs up to 1 GiB, made up as it is sent, and stops sending once the console answers (or
 * drops the connection). Resolves with the status, or null for a dropped connection, and the
 * bytes that went out.
 */
function postHugeBody(urlPath: string, headers: Record<string, string>): Promise<{ status: number | null; body: string; sent: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const request = httpRequest({ host: "127.0.0.1", port: PORT, path: urlPath, method: "POST", headers, agent: false }, (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () => {
        request.destroy();
        resolve({ status: response.statusCode ?? null, body: Buffer.concat(parts).toString("utf8"), sent });
      });
    });
    request.on("error", () => {
      if (!answered) resolve({ status: null, body: "", sent });
    });
    // Each MiB, the event loop reads what came back: a server that answers and closes while
    // bytes still arrive resets the connection, and an answer not yet read when the reset comes
    // is lost with it.
    const pump = () => {
      for (let written = 0; !answered && !request.destroyed && sent < GIB; written++) {
        if (written === 16) return void setImmediate(pump);
        sent += CHUNK.length;
        if (!request.write(CHUNK)) return void request.once("drain", pump);
      }
      if (!answered && !request.destroyed) request.end();
    };
    pump();
  });
}

/**
 * postHugeBody until the console's answer is read, three tries at most: the reset that follows
 * an early answer can still, now and then, beat the answer to the client (a null status).
 */
async function postHugeBodyAnswered(urlPath: string, headers: () => Record<string, string>) {
  let result = await postHugeBody(urlPath, headers());
  for (let tries = 1; result.status === null && tries < 3; tries++) result = await postHugeBody(urlPath, headers());
  return result;
}

/** Runs `send` while sampling the server's RSS; resolves with its result and the largest growth seen. */
async function measureGrowth<T>(send: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = memoryOf(serverPid).rssMb * 1024 * 1024;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(serverPid).rssMb * 1024 * 1024)), 20);
  try {
    const result = await send();
    peak = Math.max(peak, memoryOf(serverPid).rssMb * 1024 * 1024);
    // A figure for the reader, not an assertion: the tests bound it below.
    console.info(`next-server RSS ${Math.round(before / 2 ** 20)} MB before, ${Math.round(peak / 2 ** 20)} MB at most while sending`);
    return { result, growth: peak - before };
  } finally {
    clearInterval(sampler);
  }
}

/** Well-formed and fresh, so it passes the header check; the signature is made up. */
function forgedAuthorization(): string {
  return `${AUTH_SCHEME} ts=${Date.now()}, sig=${randomBytes(32).toString("hex")}`;
}

describe("agent routes and oversized bodies", () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-agent-body-"));
    running = await startConsole({ port: PORT, pgPort: PORT + 1, agentBasePort: PORT + 10, dataDir, env: { CATCHMENT_SIMULATOR: "off" } });
    // The console's Next.js server: the process listening on its port.
    const pid = pidListening(PORT);
    if (pid === null) throw new Error(`nothing listens on port ${PORT}`);
    serverPid = pid;
    // Loads the route's code and the database client first, so the figures below are the bodies'.
    for (const route of ["health", "leases"]) await fetch(`${running.baseUrl}/api/v1/agents/AMS1/${route}`, { method: "POST", body: "{}" });
  }, 400_000);

  afterAll(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it("refuses an unsigned 1 GiB chunked POST without reading it", { timeout: 180_000 }, async () => {
    const { result, growth } = await measureGrowth(() => postHugeBodyAnswered("/api/v1/agents/AMS1/health", () => ({ "content-type": "application/json" })));
    expect(result.status).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: "unauthenticated" } });
    expect(growth).toBeLessThan(150 * 1024 * 1024);
  });

  it("cuts a chunked POST with a well-formed but forged signature at 64 KiB", { timeout: 180_000 }, async () => {
    const { result, growth } = await measureGrowth(() =>
      postHugeBodyAnswered("/api/v1/agents/AMS1/leases", () => ({ "content-type": "application/json", authorization: forgedAuthorization() })),
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: "too_large" } });
    expect(growth).toBeLessThan(150 * 1024 * 1024);
  });

  it("refuses a declared 1 GiB Content-Length before reading anything", { timeout: 180_000 }, async () => {
    const { result, growth } = await measureGrowth(() =>
      postHugeBodyAnswered("/api/v1/agents/AMS1/health", () => ({ "content-type": "application/json", "content-length": String(GIB), authorization: forgedAuthorization() })),
    );
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(GIB);
    expect(growth).toBeLessThan(150 * 1024 * 1024);
  });

  it("still answers afterwards, and a request for an unknown PoP is refused before its body is read", { timeout: 60_000 }, async () => {
    const unknown = await postHugeBodyAnswered("/api/v1/agents/NOPE9/health", () => ({ "content-type": "application/json", authorization: forgedAuthorization() }));
    expect(unknown.status).toBe(404);
    expect((await fetch(`${running!.baseUrl}/signin`)).status).toBe(200);
  });
});
