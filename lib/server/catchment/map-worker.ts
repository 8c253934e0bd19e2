// The worker thread that computes catchment maps (shared-catchment-map.ts starts it): reading
// 15,000 answers, judging the misrouted ones and writing a megabyte of JSON block a thread
// for 50 to 100 ms, and several times that on a busy machine. Here that thread is not the one
// answering the console's requests.
import { db } from "../db/client";
import { parentPort } from "node:worker_threads";
import { AppError } from "../errors";
import { getCatchmentMap, type CatchmentScope } from "./get-catchment-map";

export type MapRequest = { id: number; scope: CatchmentScope; at: string | null };
export type MapReply = { id: number; json: Uint8Array<ArrayBuffer> } | { id: number; error: { code: AppError["code"] | null; message: string } };

parentPort!.on("message", async ({ id, scope, at }: MapRequest) => {
  try {
    const json = new TextEncoder().encode(JSON.stringify(await getCatchmentMap(db, scope, at ? new Date(at) : undefined)));
    parentPort!.postMessage({ id, json } satisfies MapReply, [json.buffer]);
  } catch (error) {
    const reply: MapReply = { id, error: error instanceof AppError ? { code: error.code, message: error.message } : { code: null, message: String(error) } };
    parentPort!.postMessage(reply);
  }
});
