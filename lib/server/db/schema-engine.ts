// Prisma's schema engine compiled to WebAssembly, driven through the pg driver adapter.
// It lets us author migrations and check them against schema.prisma with no native
// engine download (this project must install from the npm registry alone).
// Development and test tooling only: the console applies migrations with ./migrate.ts.
import { randomUUID } from "node:crypto";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const noFilters = { externalTables: [], externalEnums: [] };

type Engine = {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string | null }>;
};

export const schemaPath = path.resolve("prisma/schema.prisma");
export const migrationsDir = path.resolve("prisma/migrations");

async function loadEngine(databaseUrl: string): Promise<Engine> {
  // The engine reports a Rust panic through this global before it throws.
  const registry = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
  registry.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message) => console.error(`schema engine panic: ${message}`),
  };
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const { instance } = await WebAssembly.instantiate(readFileSync(path.join(dir, "schema_engine_bg.wasm")), {
    "./schema_engine_bg.js": bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  // Discrete fields, not a connection string: the adapter opens its shadow database by
  // overriding `database`, which a connection string would silently win over.
  const url = new URL(databaseUrl);
  const server = {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
  const factory = new PrismaPg({ ...server, database: decodeURIComponent(url.pathname.slice(1)) });
  await adaptForSchemaEngine(factory);
  // The adapter drops its shadow database while its own pool still holds it open, which
  // Postgres refuses: close the pool first, then drop.
  factory.connectToShadowDb = async () => {
    const main = await factory.connect();
    const database = `catchment_shadow_${randomUUID().replaceAll("-", "")}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new PrismaPg({ ...server, database }).connect();
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  return bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
}

const PG_CHAR = 18;
const PG_TEXT = 25;
const COLUMN_TYPE_CHARACTER = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils

/**
 * Two gaps in adapter-pg met by the schema engine, mended on the shared prototypes so
 * that transactions and shadow-database connections get the fix too:
 * - its catalog queries return Postgres' one-byte `"char"` type, which the adapter
 *   refuses to map, while the engine wants it as a character: map it so;
 * - `executeScript` splits a migration on every `;`, which breaks a plpgsql function
 *   body: send the script whole (the simple query protocol runs several statements).
 */
async function adaptForSchemaEngine(factory: PrismaPg) {
  const connection = await factory.connect();
  const adapterProto = Object.getPrototypeOf(connection);
  const queryableProto = Object.getPrototypeOf(adapterProto);
  await connection.dispose();
  if (adapterProto.__adaptedForSchemaEngine) return;
  const charColumns = new WeakMap<object, number[]>();
  const performIO = queryableProto.performIO;
  queryableProto.performIO = async function (this: unknown, query: object, ...rest: unknown[]) {
    const result = await performIO.call(this, query, ...rest);
    const columns: number[] = [];
    result.fields.forEach((field: { dataTypeID: number }, index: number) => {
      if (field.dataTypeID !== PG_CHAR) return;
      field.dataTypeID = PG_TEXT;
      columns.push(index);
    });
    if (columns.length > 0) charColumns.set(query, columns);
    return result;
  };
  const queryRaw = queryableProto.queryRaw;
  queryableProto.queryRaw = async function (this: unknown, query: object) {
    const result = await queryRaw.call(this, query);
    for (const index of charColumns.get(query) ?? []) result.columnTypes[index] = COLUMN_TYPE_CHARACTER;
    return result;
  };
  adapterProto.executeScript = async function (
    this: { client: { query(sql: string): Promise<unknown> }; onError(error: unknown): never },
    script: string,
  ) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  adapterProto.__adaptedForSchemaEngine = true;
}

function datamodel() {
  return { tag: "schemaDatamodel", files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }] };
}

function migrationList() {
  const names = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    tag: "migrations",
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: readFileSync(path.join(migrationsDir, "migration_lock.toml"), "utf8") },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

/**
 * SQL that takes a database built from the committed migrations to schema.prisma.
 * Empty when they agree. Replays the migrations in a throwaway shadow database on the
 * server behind `databaseUrl`.
 */
export async function diffMigrationsToSchema(databaseUrl: string): Promise<string> {
  const engine = await loadEngine(databaseUrl);
  const result = await engine.diff({
    from: migrationList(),
    to: datamodel(),
    script: true,
    exitCode: null,
    filters: noFilters,
  });
  return (result.stdout ?? "").replace(/^-- This is an empty migration\.\s*$/m, "").trim();
}
