import { TransactionRollbackError } from "drizzle-orm/errors";
import { drizzle as drizzleProxy, type PgRemoteDatabase } from "drizzle-orm/pg-proxy";
import type { PgliteThread } from "./pglite-thread.js";

/**
 * Drizzle over the PGlite thread, with transactions. drizzle's proxy driver has none, as it cannot
 * know which statements share a connection; this one does: a transaction's statements carry its
 * id to the thread, which runs them on PGlite's one connection while everything else waits.
 * So inside a transaction, use only its `tx`: a query on the outer database would wait for the
 * transaction to end, which waits for that query.
 */
export function pgliteDb(thread: PgliteThread): ProxyDb {
  const db = statementsOn(thread, undefined);
  const transaction: ProxyDb["transaction"] = async (work) => {
    const tx = await thread.begin();
    const inside = statementsOn(thread, tx);
    Object.assign(inside, {
      transaction: () => Promise.reject(new Error("Nested transactions are not supported on PGlite")),
      rollback: () => {
        throw new TransactionRollbackError();
      },
    });
    let result: Awaited<ReturnType<typeof work>>;
    try {
      result = await work(inside as unknown as Parameters<typeof work>[0]);
    } catch (error) {
      await thread.end(tx, false).catch(() => undefined);
      throw error;
    }
    await thread.end(tx, true);
    return result;
  };
  return Object.assign(db, { transaction });
}

type ProxyDb = PgRemoteDatabase;

// No `schema` given: we write queries, never drizzle's relational ones, and it would walk every
// table for them on each transaction.
function statementsOn(thread: PgliteThread, tx: number | undefined): ProxyDb {
  return drizzleProxy(async (query, params, method) => ({
    rows: await thread.query(query, params, method === "all" ? "array" : "object", { tx }),
  }));
}
