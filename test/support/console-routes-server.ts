import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";

type Handler = (request: NextRequest, segment: { params: Promise<{ code: string }> }) => Promise<Response>;

/**
 * Serves the console's agent routes (the real route handlers, on the real database) over HTTP,
 * so real agents can call them without a Next.js build. Only `/api/v1/agents/{code}/{route}`.
 */
export async function startConsoleRoutesServer(routes: Record<string, Handler>, port = 0): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const match = /^\/api\/v1\/agents\/([^/]+)\/([a-z]+)$/.exec(incoming.url ?? "");
      const handler = match ? routes[match[2]!] : undefined;
      if (!match || !handler) {
        outgoing.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":"not_found","message":"no route"}}');
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new NextRequest(`http://127.0.0.1${incoming.url}`, { method: incoming.method, headers, body: incoming.method === "GET" ? undefined : Buffer.concat(chunks) });
      try {
        const response = await handler(request, { params: Promise.resolve({ code: decodeURIComponent(match[1]!) }) });
        outgoing.writeHead(response.status, { "content-type": "application/json" }).end(Buffer.from(await response.arrayBuffer()));
      } catch {
        outgoing.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
