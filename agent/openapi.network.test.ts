import { Ajv2020, type SchemaObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signRequest } from "@/lib/agent-protocol/signing";
import openapi from "./openapi.json" with { type: "json" };
import { openApiComponentSchemas } from "./openapi-schemas";
import { createAgentServer, type AgentServer } from "./server";
import { SimSpeaker } from "./speakers/sim";
import { StateStore } from "./state-store";
import { agentConfig, makeTempDir, silentLogger, TEST_SECRET } from "./test-helpers";

/**
 * The contract test: agent/openapi.json against the running server. It fails if a route,
 * a status, a field or a constraint is added on one side only.
 */

type JsonSchema = SchemaObject;
type Operation = {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
};
const paths = openapi.paths as unknown as Record<string, Record<string, Operation>>;
const components = openapi.components.schemas as unknown as Record<string, JsonSchema>;

const resolveRef = (ref: string): JsonSchema => {
  const name = ref.replace("#/components/schemas/", "");
  const schema = components[name];
  if (!schema) throw new Error(`unresolved $ref ${ref}`);
  return schema;
};

// OpenAPI 3.1's schemas are JSON Schema 2020-12: Ajv checks bodies against them, in strict mode
// (a keyword it does not know fails the test). The components are one schema of their own, which
// a document's "#/components/schemas/X" references point into.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "agent-openapi", $defs: components });
const intoComponents = (schema: JsonSchema): JsonSchema => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"agent-openapi#/$defs/'));

/** What is wrong with `value` by `schema`, one line per error ("/path message"); empty when it fits. */
function schemaErrors(schema: JsonSchema, value: unknown): string[] {
  const validate = ajv.compile(intoComponents(schema));
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message}${error.keyword === "additionalProperties" ? `: ${error.params.additionalProperty}` : ""}`);
}

const documented = Object.entries(paths).flatMap(([path, operations]) =>
  Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);

function operationOf(method: string, path: string): Operation {
  const operation = paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${path} is not in openapi.json`);
  return operation;
}

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: AgentServer;
let url: string;
let speaker: SimSpeaker;
let store: StateStore;
type Sample = { method: string; path: string; status: number; body: unknown };
const samples: Sample[] = [];

async function call(method: string, path: string, { body, signed = true }: { body?: string; signed?: boolean } = {}): Promise<Sample> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signed) headers.authorization = signRequest({ secret: TEST_SECRET, method, path, body });
  const response = await fetch(`${url}${path}`, { method, body, headers });
  const sample = { method, path, status: response.status, body: await response.json() };
  samples.push(sample);
  return sample;
}

beforeAll(async () => {
  temp = await makeTempDir();
  const config = agentConfig(temp.dir);
  speaker = new SimSpeaker({ upstreams: config.speaker.driver === "sim" ? config.speaker.upstreams : [] });
  await speaker.start();
  store = await StateStore.open(config.stateFile);
  server = createAgentServer(config, speaker, store, { logger: silentLogger() });
  ({ url } = await server.listen());
});

afterAll(async () => {
  await server.close();
  await temp.remove();
});

describe("openapi.json against the server", () => {
  it("documents exactly the routes the server answers, with the same authentication", () => {
    const fromDocument = documented.map(({ method, path, operation }) => `${method} ${path} ${Array.isArray(operation.security) && operation.security.length === 0 ? "public" : "signed"}`);
    const fromServer = server.routes.map(({ method, path, authenticated }) => `${method} ${path} ${authenticated ? "signed" : "public"}`);
    expect(fromDocument.sort()).toEqual(fromServer.sort());
  });

  it("is answered on every documented operation, and nothing else", async () => {
    for (const { method, path } of documented) {
      const sample = await call(method, path, { body: method === "PUT" ? "{}" : undefined });
      expect([404, 405], `${method} ${path}`).not.toContain(sample.status);
    }
    for (const path of Object.keys(paths)) {
      for (const method of ["GET", "PUT", "POST", "DELETE", "PATCH"].filter((candidate) => !paths[path]?.[candidate.toLowerCase()])) {
        expect((await call(method, path)).status, `${method} ${path}`).toBe(405);
      }
    }
    expect((await call("GET", "/v1/announcements/192.0.2.0")).status).toBe(404);
  });

  it("holds the JSON Schemas of the zod schemas the code uses", () => {
    // On a failure after a schema change: npx tsx agent/openapi-schemas.ts --write
    expect(components).toEqual(openApiComponentSchemas());
  });

  it("describes the requests: valid ones pass the document's schema, invalid ones fail it", () => {
    const schema = operationOf("PUT", "/v1/announcements").requestBody!.content["application/json"]!.schema;
    const base = { prefix: "192.0.2.0/24", reason: "maintenance", operationId: "op-1" };
    expect(schemaErrors(schema, { ...base, state: "drained", prepend: 3, communities: ["65000:1"] })).toEqual([]);
    expect(schemaErrors(schema, { ...base, state: "withdrawn" })).toEqual([]);
    expect(schemaErrors(schema, { ...base, state: "drained" })).not.toEqual([]);
    expect(schemaErrors(schema, { ...base, state: "announced", prepend: 2 })).not.toEqual([]);
    expect(schemaErrors(schema, { ...base, state: "announced", ttl: 5 })).not.toEqual([]);
  });

  it("describes every answer the server gives: each status is documented and each body fits its schema", async () => {
    const put = (body: unknown) => call("PUT", "/v1/announcements", { body: JSON.stringify(body) });
    const drain = { prefix: "192.0.2.0/24", state: "drained", prepend: 3, reason: "maintenance", operationId: "op-1" };

    expect((await call("GET", "/v1/status")).status).toBe(200);
    expect((await call("GET", "/v1/status", { signed: false })).status).toBe(401);
    expect((await call("GET", "/v1/openapi", { signed: false })).status).toBe(200);
    expect((await put(drain)).status).toBe(200);
    expect((await put(drain)).body).toMatchObject({ replayed: true });
    expect((await put({ ...drain, prepend: 5 })).status).toBe(409);
    expect((await put({ ...drain, prepend: undefined })).status).toBe(400);
    expect((await put({ ...drain, prefix: "203.0.113.0/24", operationId: "op-2" })).status).toBe(404);
    expect((await put({ ...drain, reason: "x".repeat(70_000) })).status).toBe(413);
    expect((await call("PUT", "/v1/announcements", { body: "{}", signed: false })).status).toBe(401);
    speaker.setFault("control socket gone");
    expect((await put({ ...drain, operationId: "op-3" })).status).toBe(502);
    speaker.setFault(null);
    vi.spyOn(store, "record").mockRejectedValueOnce(new Error("EIO"));
    expect((await put({ ...drain, operationId: "op-4" })).status).toBe(500);
    const maintenance = (body: unknown, signed = true) => call("PUT", "/v1/maintenance", { body: JSON.stringify(body), signed });
    expect((await maintenance({ enabled: true, reason: "replacing a line card" })).body).toMatchObject({ enabled: true, byApi: true });
    expect((await maintenance({ enabled: "yes" })).status).toBe(400);
    expect((await maintenance({ enabled: false }, false)).status).toBe(401);
    expect((await maintenance({ enabled: false, reason: "x".repeat(70_000) })).status).toBe(413);
    vi.spyOn(store, "setMaintenance").mockRejectedValueOnce(new Error("EIO"));
    expect((await maintenance({ enabled: false })).status).toBe(500);
    expect((await maintenance({ enabled: false })).body).toMatchObject({ enabled: false, byApi: false });
    // With routes drained and withdrawn, the status body carries every kind of value.
    await put({ prefix: "2001:db8:100::/48", state: "withdrawn", reason: "x", operationId: "op-5", communities: ["65000:1"] });
    expect((await call("GET", "/v1/status")).status).toBe(200);

    for (const sample of samples) {
      const responses = paths[sample.path]?.[sample.method.toLowerCase()]?.responses;
      if (!responses) continue; // 404/405 for undocumented routes, checked above
      const response = responses[String(sample.status)];
      expect(response, `${sample.method} ${sample.path} answered ${sample.status}, not documented`).toBeDefined();
      const schema = response!.content?.["application/json"]?.schema;
      expect(schema, `${sample.method} ${sample.path} ${sample.status} has no schema`).toBeDefined();
      expect(schemaErrors(schema!, sample.body), `${sample.method} ${sample.path} ${sample.status}`).toEqual([]);
    }
    const seen = new Set(samples.map((sample) => `${sample.method} ${sample.path} ${sample.status}`));
    const undocumentedInTest = documented.flatMap(({ method, path, operation }) =>
      Object.keys(operation.responses).filter((status) => !seen.has(`${method} ${path} ${status}`)).map((status) => `${method} ${path} ${status}`),
    );
    // Every documented answer but an unexpected status failure was produced for real.
    expect(undocumentedInTest).toEqual(["GET /v1/status 500"]);
  });

  it("would notice a body that drifts from the document", async () => {
    const sample = await call("GET", "/v1/status");
    const schema = resolveRef("#/components/schemas/AgentStatus");
    const body = sample.body as Record<string, unknown>;
    expect(schemaErrors(schema, body)).toEqual([]);
    expect(schemaErrors(schema, { ...body, uptime: 5 })).toEqual(["/ must NOT have additional properties: uptime"]);
    expect(schemaErrors(schema, { ...body, maintenance: "no" })).toEqual(["/maintenance must be boolean"]);
    expect(schemaErrors(schema, { ...body, clock: "yesterday" })).not.toEqual([]);
  });

  it("serves the document itself", async () => {
    expect((await call("GET", "/v1/openapi", { signed: false })).body).toEqual(openapi);
  });
});
