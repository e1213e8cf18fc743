import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** A query as drizzle's proxy driver hands it over. */
export type RowMode = "array" | "object";

/** The embedded database, running on a worker thread of its own. */
export interface PgliteThread {
  query(sql: string, params: unknown[], rowMode: RowMode): Promise<unknown[]>;
  /** Runs the statements in one transaction. */
  exec(statements: string[]): Promise<void>;
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
parentPort.on("message", async ({ id, kind, sql, params, rowMode, statements }) => {
  try {
    if (kind === "close") { await db.close(); parentPort.postMessage({ id, rows: [] }); return; }
    if (kind === "exec") {
      await db.transaction(async (tx) => { for (const statement of statements) await tx.exec(statement); });
      parentPort.postMessage({ id, rows: [] });
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
    query: (sql, params, rowMode) => request({ kind: "query", sql, params, rowMode }),
    exec: async (statements) => void (await request({ kind: "exec", statements })),
    async close() {
      await request({ kind: "close" }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
