/**
 * The embedded database's worker thread: plain JavaScript evaluated in the worker, so it runs the
 * same from source, under a test runner and from the bundle; PGlite is resolved from the module
 * named in workerData, here rather than on the main thread, which has a first message to answer.
 * Timestamps stay strings, as drizzle's own PGlite driver leaves them, so both drivers hand drizzle
 * the same values.
 */
export const pgliteWorkerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { PGlite, types } = require("node:module").createRequire(workerData.resolveFrom)("@electric-sql/pglite");
const raw = (value) => value;
const parsers = { [types.TIMESTAMP]: raw, [types.TIMESTAMPTZ]: raw, [types.INTERVAL]: raw, [types.DATE]: raw,
  1231: raw, 1115: raw, 1185: raw, 1187: raw, 1182: raw };
const { dataDir, settings } = workerData;
const creating = !dataDir || !existsSync(join(dataDir, "PG_VERSION"));
// Options in one object: PGlite ignores a second argument when the first (dataDir) is undefined.
const db = new PGlite({ dataDir, startParams: [...PGlite.defaultStartParams, ...settings.flatMap((s) => ["-c", s])] });
const fail = (id, e) => parentPort.postMessage({ id, error: { message: String(e && e.message || e), code: e && e.code, detail: e && e.detail } });
db.waitReady.then(() => {
  if (creating) {
    setTimeout(collectGarbage, 0);
    setTimeout(collectGarbage, 1000);
  }
  parentPort.postMessage({ id: 0, rows: [] });
}, (e) => fail(0, e));
// PGlite makes a new database with a second, throwaway instance (initdb) and leaves it, some
// 400 MB, to a garbage collector that an idle worker may not run for hours (a server makes a new
// folder in a child process, see pglite-initdb.ts; this is for memory://): run it from a later
// task (until the opening one ends, that instance is still reachable), and once more a second on,
// as about one first collection in twenty left 200 MB resident. Only a context made while
// --expose-gc is set gets gc(), and the flag is per process: it goes back at once.
// (Not named gc: a context made while another thread has the flag set has a global gc already.)
let fullGc = globalThis.gc;
function collectGarbage() {
  try {
    const v8 = require("node:v8");
    if (typeof fullGc !== "function") {
      v8.setFlagsFromString("--expose-gc");
      fullGc = require("node:vm").runInNewContext("gc");
      v8.setFlagsFromString("--no-expose-gc");
    }
    fullGc();
  } catch {}
}
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
    if (kind === "close") { clearInterval(checkpoints); await db.close(); parentPort.postMessage({ id, rows: [] }); return; }
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
// Single-user Postgres never checkpoints on its own (see pglite-settings.ts): checkpoint from the
// queue, between statements, once enough WAL has accumulated.
const checkpointIfDue = async () => {
  try {
    const sinceLast = "select pg_current_wal_insert_lsn() - redo_lsn from pg_control_checkpoint()";
    const { rows } = await db.query(sinceLast, [], { rowMode: "array" });
    if (Number(rows[0][0]) >= workerData.checkpointWalBytes) await db.exec("checkpoint");
  } catch {}
};
const checkpoints = setInterval(() => { queue = queue.then(checkpointIfDue); }, workerData.checkpointCheckMs);
checkpoints.unref();
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
