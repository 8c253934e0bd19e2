// The one choice between the two write paths, for the CLI and the API: catchment files
// (a million /24s a scan) go set-based through COPY, everything else through storeBatchStream.
import { isCatchmentFormat, type StreamedBatch } from "@/lib/ingest/parse-batch";
import type { Db } from "../db/create-client";
import { storeBatchStream, type StoreOptions, type StoreResult } from "./store-batch";
import { storeCatchmentFile } from "./store-catchment-file";

export function storeStreamedBatch(db: Db, connectionString: string, batch: StreamedBatch, options: StoreOptions = {}): Promise<StoreResult> {
  if (batch.kind === "measurements" && isCatchmentFormat(batch.format)) return storeCatchmentFile(connectionString, batch, options);
  return storeBatchStream(db, batch, options);
}
