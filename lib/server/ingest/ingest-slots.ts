import "server-only";

// At most one ingest at a time per API token (per user for a browser session), in this
// process: a feed that posts its next batch before the last one is stored is told to wait
// (429 with Retry-After) instead of piling batches onto the server. One slot per client
// keeps a single feed from taking every database connection and both cores of a small server.

const running = new Set<string>();

/** Seconds a refused client is asked to wait before sending again. */
export const INGEST_RETRY_AFTER_SECONDS = 5;

/** Claims the client's slot; null when one of its ingests is still running. */
export function claimIngestSlot(client: string): { release: () => void } | null {
  if (running.has(client)) return null;
  running.add(client);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      running.delete(client);
    },
  };
}
