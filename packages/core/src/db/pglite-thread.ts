import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** A query as drizzle's proxy driver hands it over. */
export type RowMode = "array" | "object";

/** The embedded database, running on a worker thread of its own. */
export interface PgliteThread {
  /** Runs one statement, inside the open transaction `tx` when given one. */
  query(sql: string, params: unknown[], rowMode: RowMode, tx?: number): Promise<unknown[]>;
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
parentPort.on("message", async ({ id, kind, sql, params, rowMode, statements, tx, commit }) => {
  try {
    if (kind === "close") { await db.close(); parentPort.postMessage({ id, rows: [] }); return; }
    if (kind === "exec") {
      await db.transaction(async (tx) => { for (const statement of statements) await tx.exec(statement); });
      parentPort.postMessage({ id, rows: [] });
      return;
    }
    if (kind === "begin") return begin(id);
    if (kind === "end") return await end(id, tx, commit);
    if (tx !== undefined) {
      const entry = open.get(tx);
      if (!entry || !entry.tx) throw new Error("No open transaction " + tx);
      // One statement at a time on the transaction's connection, in the order they were sent.
      const run = entry.chain.then(() => entry.tx.query(sql, params, { rowMode, parsers }));
      entry.chain = run.catch(() => {});
      const result = await run;
      parentPort.postMessage({ id, rows: result.rows });
      return;
    }
    const result = await db.query(sql, params, { rowMode, parsers });
    parentPort.postMessage({ id, rows: result.rows });
  } catch (e) { fail(id, e); }
});
`;

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

/**
 * Starts PGlite on a worker thread. PGlite runs Postgres compiled to WebAssembly, synchronously:
 * on the main thread every query, and every audit batch, would stall all sessions meanwhile.
 */
export async function startPgliteThread(dataDir: string | undefined): Promise<PgliteThread> {
  const pglitePath = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const worker = new Worker(workerSource, { eval: true, workerData: { pglitePath, dataDir } });
  const pending = new Map<number, { resolve(rows: unknown[]): void; reject(error: Error): void }>();
  let nextId = 1;
  let exited: Error | undefined;

  const settle = ({ id, rows, error }: Reply) => {
    const waiter = pending.get(id);
    pending.delete(id);
    if (error) waiter?.reject(new PgliteError(error.message, error.code, error.detail));
    else waiter?.resolve(rows ?? []);
  };
  worker.on("message", settle);
  worker.on("error", (error) => {
    exited = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });

  const request = (message: Record<string, unknown>): Promise<unknown[]> => {
    if (exited)
      return Promise.reject(new Error("The embedded database thread has stopped", { cause: exited }));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  };

  await new Promise<unknown[]>((resolve, reject) => pending.set(0, { resolve, reject }));
  return {
    query: (sql, params, rowMode, tx) => request({ kind: "query", sql, params, rowMode, tx }),
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
