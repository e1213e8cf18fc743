import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

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

interface Reply {
  id: number;
  rows?: unknown[];
  error?: { message: string; code?: string; detail?: string };
}

// Plain JavaScript evaluated in the worker, so it runs the same from source, under a test runner
// and from the bundle; PGlite is loaded by the path resolved here. Timestamps stay strings, as
// drizzle's own PGlite driver leaves them, so both drivers hand drizzle the same values.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite, types } = require(workerData.pglitePath);
const raw = (value) => value;
const parsers = { [types.TIMESTAMP]: raw, [types.TIMESTAMPTZ]: raw, [types.INTERVAL]: raw, [types.DATE]: raw,
  1231: raw, 1115: raw, 1185: raw, 1187: raw, 1182: raw };
const db = new PGlite(workerData.dataDir);
const fail = (id, e) => parentPort.postMessage({ id, error: { message: String(e && e.message || e), code: e && e.code, detail: e && e.detail } });
db.waitReady.then(() => parentPort.postMessage({ id: 0, rows: [] }), (e) => fail(0, e));
// Open transactions by id. PGlite has one connection: while one is open, db.query waits for it
// (PGlite's transaction lock), so nothing from outside can slip into it.
const open = new Map();
function begin(id) {
  const entry = { chain: Promise.resolve() };
  const ended = new Promise((resolve, reject) => { entry.commit = resolve; entry.rollback = reject; });
  ended.catch(() => {});
  entry.settled = db.transaction(async (tx) => { entry.tx = tx; parentPort.postMessage({ id, rows: [] }); await ended; });
  entry.settled.catch((e) => { if (!entry.tx) fail(id, e); });
  open.set(id, entry);
}
async function end(id, tx, commit) {
  const entry = open.get(tx);
  open.delete(tx);
  if (!entry) return fail(id, new Error("No open transaction " + tx));
  if (commit) entry.commit(); else entry.rollback(new Error("rolled back"));
  try { await entry.settled; parentPort.postMessage({ id, rows: [] }); }
  catch (e) { if (commit) fail(id, e); else parentPort.postMessage({ id, rows: [] }); }
}
const run = async ({ id, kind, sql, params, rowMode, statements }) => {
  try {
    if (kind === "close") { await db.close(); parentPort.postMessage({ id, rows: [] }); return; }
    if (kind === "exec") {
      await db.transaction(async (tx) => { for (const statement of statements) await tx.exec(statement); });
      parentPort.postMessage({ id, rows: [] });
      return;
    }
    if (kind === "begin") return begin(id);
    const result = await db.query(sql, params, { rowMode, parsers });
    parentPort.postMessage({ id, rows: result.rows });
  } catch (e) { fail(id, e); }
};
// One cancelled while it waited (its id in its slot of the shared cancel array, written by the
// main thread) is answered as Postgres answers a cancelled statement, without running. Shared
// memory, not a message: a message sent while a statement runs would only be read after the next
// statement had started.
const cancels = new Int32Array(workerData.cancels);
const cancelled = (id) => Atomics.load(cancels, id % cancels.length) === id;
const refuse = (id) => fail(id, { message: "canceling statement due to user request", code: "57014" });
// Statements outside a transaction run one at a time, in order; a transaction's own statements
// run in order on its connection, beside that queue (which its lock holds up until it ends), and
// its end goes straight through, or the queue would wait for a transaction waiting for it.
let queue = Promise.resolve();
parentPort.on("message", (message) => {
  const { id, kind, tx } = message;
  if (kind === "end") return void end(id, tx, message.commit);
  if (tx !== undefined) {
    const entry = open.get(tx);
    if (!entry || !entry.tx) return fail(id, new Error("No open transaction " + tx));
    entry.chain = entry.chain.then(async () => {
      if (cancelled(id)) return refuse(id);
      try {
        const result = await entry.tx.query(message.sql, message.params, { rowMode: message.rowMode, parsers });
        parentPort.postMessage({ id, rows: result.rows });
      } catch (e) { fail(id, e); }
    });
    return;
  }
  queue = queue.then(() => (cancelled(id) ? refuse(id) : run(message)));
});
`;

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

const cancelledError = () => new PgliteError("canceling statement due to user request", "57014");

/**
 * Starts PGlite on a worker thread. PGlite runs Postgres compiled to WebAssembly, synchronously:
 * on the main thread every query, and every audit batch, would stall all sessions meanwhile.
 */
export async function startPgliteThread(
  dataDir: string | undefined,
  /** Aborted before PGlite is up, the worker is stopped at once (only safe for an in-memory one). */
  signal?: AbortSignal,
): Promise<PgliteThread> {
  const pglitePath = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const cancels = new Int32Array(new SharedArrayBuffer(4 * CANCEL_SLOTS));
  const workerData = { pglitePath, dataDir, cancels: cancels.buffer };
  const worker = new Worker(workerSource, { eval: true, workerData });
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
    pending.get(0)?.reject(new Error("The embedded database was closed before it opened"));
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
