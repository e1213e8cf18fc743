import type { Db } from "./client.js";
import type { PgliteThread } from "./pglite-thread.js";

/** What drizzle's postgres.js session calls on its client, and the query handle it gets back. */
interface PendingQuery extends PromiseLike<unknown> {
  cancel(): unknown;
}
interface QueryClient {
  unsafe(query: string, params?: unknown[], options?: unknown): PendingQuery;
  begin?(...args: unknown[]): Promise<unknown>;
  savepoint?(...args: unknown[]): Promise<unknown>;
}

/** drizzle's proxy driver callback, which the embedded database answers. */
type RemoteQuery = (sql: string, params: unknown[], method: string) => Promise<{ rows: unknown[] }>;

/** The embedded database's queries; with a signal, a query still waiting when it aborts never runs. */
function remoteQuery(thread: PgliteThread, signal?: AbortSignal): RemoteQuery {
  return async (sql, params, method) => ({
    rows: await thread.query(sql, params, method === "all" ? "array" : "object", { signal }),
  });
}

/** A view of the embedded database whose waiting queries are dropped when `signal` aborts. */
export function cancellablePglite(db: Db, thread: PgliteThread, signal: AbortSignal): Db {
  return withClient(db, remoteQuery(thread, signal));
}

/**
 * A view of a postgres.js database whose running queries are cancelled when `signal` aborts:
 * postgres.js sends PostgreSQL a CancelRequest for a running query and drops one still queued.
 */
export function cancellablePostgres(db: Db, client: unknown, signal: AbortSignal): Db {
  const running = new Set<PendingQuery>();
  const cancelAll = () => {
    for (const query of running) query.cancel();
  };
  signal.addEventListener("abort", cancelAll, { once: true });

  const wrap = (inner: QueryClient): QueryClient => ({
    unsafe(query, params, options) {
      if (signal.aborted) throw new Error("The tool call has ended", { cause: signal.reason });
      const pending = inner.unsafe(query, params, options);
      running.add(pending);
      const done = () => running.delete(pending);
      // postgres.js starts a query one tick after its first then(): drizzle's .values() still applies.
      pending.then(done, done);
      return pending;
    },
    // Transactions and savepoints run on a client of their own: wrap that one too.
    begin: (...args) => inner.begin?.(...withWrappedScope(args)) ?? Promise.reject(unsupported("begin")),
    savepoint: (...args) =>
      inner.savepoint?.(...withWrappedScope(args)) ?? Promise.reject(unsupported("savepoint")),
  });
  const withWrappedScope = (args: unknown[]) => {
    const scope = args.at(-1);
    if (typeof scope !== "function") return args;
    return [...args.slice(0, -1), (tx: QueryClient) => scope(wrap(tx))];
  };
  return withClient(db, wrap(client as QueryClient));
}

const unsupported = (method: string) => new Error(`This database client has no ${method}()`);

// drizzle takes no signal per query, so a view shares the database's dialect and schema and
// swaps only its session's client. `db.session` and `session.client` are drizzle internals:
// query-cancel.test.ts fails if they change.
function withClient(db: Db, client: unknown): Db {
  const session = (db as unknown as { session: object }).session;
  const view = Object.create(session, { client: { value: client } });
  return Object.create(db, { session: { value: view } });
}
