import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { migrate as migrateProxy } from "drizzle-orm/pg-proxy/migrator";
import type { Config } from "../config/config.js";
import { cancellablePglite } from "./cancellable.js";
import { lockDataDir } from "./data-dir-lock.js";
import { pgliteDb } from "./pglite-db.js";
import { PGLITE_SETTINGS } from "./pglite-settings.js";
import type { PgliteThreadOptions } from "./pglite-thread.js";
import { threadWhenOpen } from "./pglite-when-open.js";

/** The drizzle database, whichever driver is underneath (queries only: no relational `db.query`). */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  readonly kind: "postgres" | "pglite";
  readonly db: Db;
  /** The database for one tool call: its queries end when `signal` aborts (see cancellable.ts). */
  withSignal(signal: AbortSignal): Db;
  /** Runs `work` while holding a Postgres advisory lock, so concurrent processes take turns. */
  withAdvisoryLock<T>(key: number, work: () => Promise<T>): Promise<T>;
  /** Applies the drizzle migrations in `migrationsFolder` that this database lacks. */
  applyMigrations(migrationsFolder: string): Promise<void>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  /**
   * Settles once the database is open (and migrated, when it was opened with `openDatabase`):
   * rejects with the reason when it cannot open. Statements made before then wait for it.
   */
  readonly ready: Promise<void>;
  /** How `ready` stands, read without waiting (readiness probes, start-up). */
  readonly state: "opening" | "open" | "failed";
  close(): Promise<void>;
}

type DatabaseConfig = Pick<Config, "DATABASE_URL" | "DATABASE_POOL_MAX" | "DATA_DIR">;

export interface CreateDatabaseOptions {
  /**
   * Migrations the embedded database applies as soon as its thread starts, before any other
   * statement. Given, `createDatabase` returns at once and the database opens behind its first
   * statements (see `openDatabase`); without, it returns once PGlite has started.
   */
  migrateBehind?: string;
}

/** postgres.js when `DATABASE_URL` is set; embedded PGlite in `DATA_DIR` otherwise. */
export async function createDatabase(
  config: DatabaseConfig,
  { migrateBehind }: CreateDatabaseOptions = {},
): Promise<Database> {
  if (!config.DATABASE_URL) return createPglite(config.DATA_DIR, migrateBehind);
  // Loaded only when configured, as the Redis bus is: a local server never needs the driver.
  const { createPostgres } = await import("./postgres.js");
  return createPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX);
}

async function createPglite(dataDir: string, migrateBehind: string | undefined): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  // Taken at once, whenever the database opens: a second process on this folder is refused now.
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  // An in-memory database closed while it opens stops at once; a folder's finishes opening first,
  // so that a process stopped during its first start never leaves a half-made data folder.
  const closedEarly = new AbortController();
  const fresh = !inMemory && !existsSync(join(dataDir, "PG_VERSION"));
  const started = fresh
    ? makeFolder(dataDir).then(() => startThread(dataDir))
    : startThread(inMemory ? undefined : dataDir, inMemory ? { signal: closedEarly.signal } : {});
  const opening =
    migrateBehind === undefined
      ? started
      : started.then(async (thread) => {
          await migrateProxy(pgliteDb(thread), (statements) => thread.exec(statements), {
            migrationsFolder: migrateBehind,
          });
          return thread;
        });
  let state: Database["state"] = "opening";
  const ready = opening.then(
    () => {
      state = "open";
    },
    (error: unknown) => {
      state = "failed";
      unlock();
      throw error;
    },
  );
  // Nobody may be waiting yet: the failure reaches whoever uses the database, and `ready`.
  ready.catch(() => undefined);
  if (migrateBehind === undefined) await ready;
  const thread = threadWhenOpen(opening);
  const db = pgliteDb(thread);
  return {
    kind: "pglite",
    db,
    ready,
    get state() {
      return state;
    },
    withSignal: (signal) => cancellablePglite(db, thread, signal),
    // One PGlite data folder belongs to one process, so there is no one to take turns with.
    withAdvisoryLock: (_key, work) => work(),
    applyMigrations: (migrationsFolder) =>
      migrateProxy(db, (statements) => thread.exec(statements), { migrationsFolder }),
    async ping() {
      await thread.query("select 1", [], "array");
    },
    async close() {
      if (state === "opening") closedEarly.abort();
      await thread.close();
      unlock();
    },
  };
}

// The thread's and initdb's modules (worker_threads, v8, child_process: some 8 ms of a stdio
// server's start) load behind the first answer, not in front of it.
async function startThread(dataDir: string | undefined, options?: PgliteThreadOptions) {
  const { startPgliteThread } = await import("./pglite-thread.js");
  return startPgliteThread(dataDir, options);
}

async function makeFolder(dataDir: string) {
  const { initPgliteFolder } = await import("./pglite-initdb.js");
  await initPgliteFolder(dataDir, PGLITE_SETTINGS);
}
