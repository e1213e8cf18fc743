import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import {
  PGLITE_CHECKPOINT_CHECK_MS,
  PGLITE_CHECKPOINT_WAL_BYTES,
  PGLITE_SETTINGS,
} from "./pglite-settings.js";
import { pgliteWorkerSource } from "./pglite-worker.js";

/** A query as drizzle's proxy driver hands it over. */
export type RowMode = "array" | "object";

/** Where a statement runs, and what may stop it before it does. */
export interface StatementOptions {
  /** The open transaction to run it in. */
  tx?: number | undefined;
  /** A statement still waiting for its turn when this aborts never runs. */
  signal?: AbortSignal | undefined;
}

/** The embedded database, running on a worker thread of its own. */
export interface PgliteThread {
  /** Runs one statement. */
  query(sql: string, params: unknown[], rowMode: RowMode, options?: StatementOptions): Promise<unknown[]>;
  /** Runs the statements in one transaction. */
  exec(statements: string[]): Promise<void>;
  /** Opens a transaction and returns its id; statements outside it wait until it ends. */
  begin(): Promise<number>;
  /** Commits (or rolls back) the transaction `tx`; a failed commit rejects. */
  end(tx: number, commit: boolean): Promise<void>;
  close(): Promise<void>;
}

/** When the thread checkpoints; the defaults are in pglite-settings.ts. */
export interface PgliteThreadOptions {
  checkpointWalBytes?: number;
  checkpointCheckMs?: number;
  /** Aborted before PGlite is up, the worker is stopped at once (only safe for an in-memory one). */
  signal?: AbortSignal;
}

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string; detail?: string };
}

interface Waiter {
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
  /** Stops listening for a cancel. */
  done?(): void;
}

/** Error from the worker, shaped like a driver error (SQLSTATE in `code`). */
class PgliteError extends Error {
  override readonly name = "PgliteError";
  constructor(
    message: string,
    readonly code?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

// Cancel marks, one slot per statement id modulo this: two statements waiting at once share a
// slot only when thousands wait, and then a cancel may be missed, never applied to the wrong one.
const CANCEL_SLOTS = 4_096;

const closedBeforeOpen = () => new Error("The embedded database was closed before it opened");

const cancelledError = () => new PgliteError("canceling statement due to user request", "57014");

/**
 * Starts PGlite on a worker thread. PGlite runs Postgres compiled to WebAssembly, synchronously:
 * on the main thread every query, and every audit batch, would stall all sessions meanwhile.
 */
export async function startPgliteThread(
  dataDir: string | undefined,
  {
    checkpointWalBytes = PGLITE_CHECKPOINT_WAL_BYTES,
    checkpointCheckMs = PGLITE_CHECKPOINT_CHECK_MS,
    signal,
  }: PgliteThreadOptions = {},
): Promise<PgliteThread> {
  if (signal?.aborted) throw closedBeforeOpen();
  const cancels = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
  // Liftoff, V8's baseline WebAssembly compiler, only: without TurboFan's tier-up the process holds
  // 35-45 MB less and opens the database in about half the time; a long CPU-bound query runs ~1.4x
  // slower. A V8 flag is per process, read when a module compiles: set before PGlite compiles its own.
  setFlagsFromString("--liftoff-only");
  const workerData = {
    resolveFrom: import.meta.url,
    dataDir,
    settings: PGLITE_SETTINGS,
    checkpointWalBytes,
    checkpointCheckMs,
    cancels: cancels.buffer,
  };
  const worker = new Worker(pgliteWorkerSource, { eval: true, workerData });
  const pending = new Map<number, Waiter>();
  let nextId = 1;
  let exited: Error | undefined;

  const settle = ({ id, rows, error }: Reply) => {
    const waiter = pending.get(id);
    pending.delete(id);
    waiter?.done?.();
    if (error) waiter?.reject(new PgliteError(error.message, error.code, error.detail));
    else waiter?.resolve(rows ?? []);
  };
  worker.on("message", settle);
  worker.on("error", (error) => {
    exited = error;
    for (const waiter of pending.values()) {
      waiter.done?.();
      waiter.reject(error);
    }
    pending.clear();
  });

  const request = (message: Record<string, unknown>, signal?: AbortSignal): Promise<unknown[]> => {
    if (exited)
      return Promise.reject(new Error("The embedded database thread has stopped", { cause: exited }));
    if (signal?.aborted) return Promise.reject(cancelledError());
    const id = nextId;
    nextId = nextId === 0x7fffffff ? 1 : nextId + 1;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        const cancel = () => Atomics.store(cancels, id % CANCEL_SLOTS, id);
        signal.addEventListener("abort", cancel, { once: true });
        waiter.done = () => {
          signal.removeEventListener("abort", cancel);
          // Ids come round again after 2^31 statements: leave no mark for a later one to find.
          Atomics.compareExchange(cancels, id % CANCEL_SLOTS, id, 0);
        };
      }
      pending.set(id, waiter);
      worker.postMessage({ id, ...message });
    });
  };

  const stop = () => {
    void worker.terminate();
    pending.get(0)?.reject(closedBeforeOpen());
  };
  signal?.addEventListener("abort", stop, { once: true });
  try {
    await new Promise<unknown[]>((resolve, reject) => pending.set(0, { resolve, reject }));
  } finally {
    signal?.removeEventListener("abort", stop);
  }
  return {
    query: (sql, params, rowMode, { tx, signal } = {}) =>
      request({ kind: "query", sql, params, rowMode, tx }, signal),
    exec: async (statements) => void (await request({ kind: "exec", statements })),
    // The transaction's id is the id of the message that opened it.
    begin: async () => {
      const id = nextId;
      await request({ kind: "begin" });
      return id;
    },
    end: async (tx, commit) => void (await request({ kind: "end", tx, commit })),
    async close() {
      await request({ kind: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
