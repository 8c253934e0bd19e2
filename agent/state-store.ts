import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { announcementResultSchema, announcementStateSchema, MAX_PREPEND } from "@/lib/agent-protocol/schemas";
import type { PrefixConfig } from "./config";
import type { RouteIntent } from "./speakers/speaker";

const appliedStateSchema = z.strictObject({
  state: announcementStateSchema,
  prepend: z.int().min(0).max(MAX_PREPEND),
  communities: z.array(z.string()),
  reason: z.string(),
  operationId: z.string().nullable(),
  since: z.iso.datetime(),
});
/** What the agent last applied to the speaker for one prefix, and why. */
export type AppliedState = z.infer<typeof appliedStateSchema>;

/** A prefix's state before any operation has touched it: the config's initial state. */
export function initialAppliedState(entry: PrefixConfig, now: Date): AppliedState {
  return {
    state: entry.initialState,
    prepend: entry.initialState === "drained" ? (entry.initialPrepend ?? 1) : 0,
    communities: [],
    reason: "initial state from the agent config",
    operationId: null,
    since: now.toISOString(),
  };
}

export function routeIntent(state: AppliedState): RouteIntent {
  return { state: state.state, prepend: state.prepend, communities: [...state.communities] };
}

const ledgerEntrySchema = z.strictObject({
  operationId: z.string(),
  prefix: z.string(),
  /** sha256 of the normalised request: a replay must carry the same body. */
  requestHash: z.string(),
  response: announcementResultSchema,
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

const maintenanceSchema = z.strictObject({ reason: z.string(), since: z.iso.datetime() });
/** Maintenance mode set through the agent API (the maintenance file is its own record). */
export type StoredMaintenance = z.infer<typeof maintenanceSchema>;

const stateFileSchema = z.strictObject({
  version: z.literal(1),
  prefixes: z.record(z.string(), appliedStateSchema),
  ledger: z.array(ledgerEntrySchema),
  maintenance: maintenanceSchema.nullable().optional(),
});
type StateFile = z.infer<typeof stateFileSchema>;

export const LEDGER_SIZE = 1000;

export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

const ledgerKey = (operationId: string, prefix: string) => `${operationId}\n${prefix}`;

/** Writes a file so that a crash leaves either the old or the new content, never half of one. */
async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  // The rename itself is durable only once the directory is synced.
  const directory = await open(path.dirname(file), "r");
  try {
    await directory.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    await directory.close();
  }
}

/**
 * The agent's memory across restarts: the applied state per prefix and the idempotency
 * ledger (operationId + prefix -> request hash + response, the last LEDGER_SIZE entries).
 */
export class StateStore {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private data: StateFile,
    private readonly ledgerSize: number,
  ) {}

  /** Loads the state file (none yet is a first start). A corrupt one throws StateFileError. */
  static async open(file: string, { ledgerSize = LEDGER_SIZE }: { ledgerSize?: number } = {}): Promise<StateStore> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        await mkdir(path.dirname(file), { recursive: true });
        return new StateStore(file, { version: 1, prefixes: {}, ledger: [] }, ledgerSize);
      }
      throw new StateFileError(`cannot read state file ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`);
    }
    const refuse = (why: string) =>
      new StateFileError(
        `state file ${file} is corrupt (${why}); refusing to start rather than guess what to announce: restore it from a backup, or move it away to start from the config's initial states`,
      );
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw refuse((error as Error).message);
    }
    const parsed = stateFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw refuse(issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "invalid");
    }
    return new StateStore(file, parsed.data, ledgerSize);
  }

  get(prefix: string): AppliedState | undefined {
    const state = this.data.prefixes[prefix];
    return state && { ...state, communities: [...state.communities] };
  }

  /** Every prefix the state file knows, configured or not. */
  prefixes(): string[] {
    return Object.keys(this.data.prefixes);
  }

  findOperation(operationId: string, prefix: string): LedgerEntry | undefined {
    const key = ledgerKey(operationId, prefix);
    return this.data.ledger.find((entry) => ledgerKey(entry.operationId, entry.prefix) === key);
  }

  /**
   * Records a prefix's new state (and the operation that set it) and persists it before
   * resolving. Records are written one at a time, each from the latest state, so concurrent
   * records for different prefixes never lose each other. On a write failure nothing changes.
   */
  record(prefix: string, state: AppliedState, operation?: Omit<LedgerEntry, "prefix">): Promise<void> {
    const run = this.queue.then(async () => {
      const ledger = operation ? [...this.data.ledger, { ...operation, prefix }].slice(-this.ledgerSize) : this.data.ledger;
      const next: StateFile = { ...this.data, prefixes: { ...this.data.prefixes, [prefix]: state }, ledger };
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
      this.data = next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  maintenance(): StoredMaintenance | null {
    return this.data.maintenance ?? null;
  }

  /** Persists maintenance mode set by the API, so a restart does not undrain the PoP. */
  setMaintenance(maintenance: StoredMaintenance | null): Promise<void> {
    const run = this.queue.then(async () => {
      const next: StateFile = { ...this.data, maintenance };
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
      this.data = next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every record so far has been written. */
  async flush(): Promise<void> {
    await this.queue;
  }
}
