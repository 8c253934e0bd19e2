// The end-to-end tests' console (Playwright's webServer) is refused at once, starting nothing,
// when another program already holds one of its ports.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "../..");
const ports = { E2E_PORT: "4861", E2E_PG_PORT: "4862", E2E_AGENT_BASE_PORT: "4870" };
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen<S extends Server>(server: S, port: string): Promise<S> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(Number(port), "127.0.0.1", resolve));
  return server;
}

async function runPlaywright(): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(repo, "node_modules/@playwright/test/cli.js"), "test", "e2e/sign-in.spec.ts", "--reporter=line"], {
    cwd: repo,
    env: { ...process.env, ...ports, CI: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output };
}

describe("playwright.config.ts webServer", () => {
  it("refuses when another program holds the embedded Postgres's port, naming it", async () => {
    await listen(createServer(), ports.E2E_PG_PORT);
    const { code, output } = await runPlaywright();
    expect(code).not.toBe(0);
    expect(output).toContain(`port ${ports.E2E_PG_PORT} is already in use by another program: node (pid ${process.pid}) (wanted for the console's embedded Postgres)`);
    // Refused before npm start ran: no embedded Postgres tried the port.
    expect(output).not.toContain("catchment@0.1.0 start");
  });

  it("refuses when something already answers on the console's URL", async () => {
    await listen(createHttpServer((_request, response) => response.end("another console")), ports.E2E_PORT);
    const { code, output } = await runPlaywright();
    expect(code).not.toBe(0);
    expect(output).toContain(`http://localhost:${ports.E2E_PORT}/signin is already used`);
  });
});
