import "server-only";
import { Worker } from "node:worker_threads";
import { AppError } from "../errors";
import { sharedResults } from "../shared-result";
import { mapShareMs } from "./data-sources";
import type { CatchmentScope } from "./get-catchment-map";
import type { MapReply, MapRequest } from "./map-worker";

// A map is about 1 MB of JSON at 15,000 probes: a few scopes and times are plenty. One per
// server process, whichever of its bundles asks: the map page starts the computation its
// API request will then take (below), so both must reach the same results.
const globalForMaps = globalThis as unknown as { catchmentSharedMaps?: ReturnType<typeof sharedResults<Uint8Array<ArrayBuffer>>> };
const sharedMaps = (globalForMaps.catchmentSharedMaps ??= sharedResults<Uint8Array<ArrayBuffer>>({ ttlMs: mapShareMs, maxKeys: 16 }));

/**
 * The catchment map of a scope (now, or at `at`) as UTF-8 JSON. Every screen asking for the
 * same scope within CATCHMENT_MAP_SHARE_MS gets one computation, serialized and encoded once,
 * and none waits for a recomputation (lib/server/shared-result.ts). Callers check the session
 * and role themselves.
 */
export function sharedCatchmentMapJson(scope: CatchmentScope, at?: Date): Promise<Uint8Array<ArrayBuffer>> {
  const key = JSON.stringify([scope.prefix ?? null, scope.service ?? null, at?.toISOString() ?? null]);
  // Kept as UTF-8 bytes: encoding a megabyte string again for every request was a few ms each.
  return sharedMaps(key, () => computeInWorker(scope, at)).catch((error: unknown) => {
    // The computation may have been started from another bundle of this server (the map
    // page's): its error becomes an AppError of this caller's own class.
    throw isWorkerFailure(error) && error.appCode ? new AppError(error.appCode, error.message) : error;
  });
}

/**
 * Starts computing the current map of a scope without waiting for it: the map page does so
 * while it renders, so the map's data is under way before the browser asks for it. A failure
 * is not kept (the API's request computes again and reports it).
 */
export function warmCatchmentMap(scope: CatchmentScope): void {
  sharedCatchmentMapJson(scope).catch(() => {});
}

// One worker thread per server process computes the maps (map-worker.ts), so the thread that
// answers requests stays free while it does: a screen asking meanwhile gets the map shared a
// moment ago at once. A worker that fails is replaced at the next computation.

/**
 * A failure the worker reported, with the AppError code it had there (an unknown prefix is
 * not_found). Told apart by name: each bundle of the server has classes of its own.
 */
const WORKER_FAILURE = "CatchmentMapWorkerFailure";
type WorkerFailure = Error & { appCode: AppError["code"] | null };
const isWorkerFailure = (error: unknown): error is WorkerFailure => error instanceof Error && error.name === WORKER_FAILURE;

type Pending = { resolve: (json: Uint8Array<ArrayBuffer>) => void; reject: (error: Error) => void };
const globalForWorker = globalThis as unknown as { catchmentMapWorker?: { worker: Worker; pending: Map<number, Pending>; nextId: number } };

function mapWorker() {
  if (globalForWorker.catchmentMapWorker) return globalForWorker.catchmentMapWorker;
  const worker = new Worker(new URL("./map-worker.ts", import.meta.url));
  const state = { worker, pending: new Map<number, Pending>(), nextId: 1 };
  worker.on("message", (reply: MapReply) => {
    const pending = state.pending.get(reply.id);
    state.pending.delete(reply.id);
    if (!pending) return;
    if ("json" in reply) pending.resolve(reply.json);
    else pending.reject(Object.assign(new Error(reply.error.message), { name: WORKER_FAILURE, appCode: reply.error.code }));
  });
  const fail = (error: Error) => {
    if (globalForWorker.catchmentMapWorker === state) delete globalForWorker.catchmentMapWorker;
    for (const pending of state.pending.values()) pending.reject(error);
    state.pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the catchment map worker stopped (exit code ${code})`)));
  // It must not keep a stopping server alive.
  worker.unref();
  globalForWorker.catchmentMapWorker = state;
  return state;
}

function computeInWorker(scope: CatchmentScope, at: Date | undefined): Promise<Uint8Array<ArrayBuffer>> {
  const state = mapWorker();
  const id = state.nextId++;
  return new Promise((resolve, reject) => {
    state.pending.set(id, { resolve, reject });
    state.worker.postMessage({ id, scope, at: at?.toISOString() ?? null } satisfies MapRequest);
  });
}
