import { mkdir } from "node:fs/promises";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { migrate as migrateProxy } from "drizzle-orm/pg-proxy/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Config } from "../config/config.js";
import { cancellablePglite, cancellablePostgres } from "./cancellable.js";
import { lockDataDir } from "./data-dir-lock.js";
import { pgliteDb } from "./pglite-db.js";
import { startPgliteThread } from "./pglite-thread.js";
import * as schema from "./schema.js";

/** The drizzle database, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

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
  close(): Promise<void>;
}

type DatabaseConfig = Pick<Config, "DATABASE_URL" | "DATABASE_POOL_MAX" | "DATA_DIR">;

/** postgres.js when `DATABASE_URL` is set; embedded PGlite in `DATA_DIR` otherwise. */
export async function createDatabase(config: DatabaseConfig): Promise<Database> {
  return config.DATABASE_URL
    ? createPostgres(config.DATABASE_URL, config.DATABASE_POOL_MAX)
    : createPglite(config.DATA_DIR);
}

function createPostgres(url: string, max: number): Database {
  const client = postgres(url, { max, connect_timeout: 5, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema });
  return {
    kind: "postgres",
    db,
    withSignal: (signal) => cancellablePostgres(db, client, signal),
    async withAdvisoryLock(key, work) {
      // Session-level locks belong to one connection: hold a reserved one for the whole critical section.
      const connection = await client.reserve();
      try {
        await connection`select pg_advisory_lock(${key})`;
        return await work();
      } finally {
        await connection`select pg_advisory_unlock(${key})`.catch(() => undefined);
        connection.release();
      }
    },
    applyMigrations: (migrationsFolder) => migratePostgres(db, { migrationsFolder }),
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function createPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  const thread = await startPgliteThread(inMemory ? undefined : dataDir).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const db = pgliteDb(thread);
  return {
    kind: "pglite",
    db,
    withSignal: (signal) => cancellablePglite(db, thread, signal),
    // One PGlite data folder belongs to one process, so there is no one to take turns with.
    withAdvisoryLock: (_key, work) => work(),
    applyMigrations: (migrationsFolder) =>
      migrateProxy(db, (statements) => thread.exec(statements), { migrationsFolder }),
    async ping() {
      await thread.query("select 1", [], "array");
    },
    async close() {
      await thread.close();
      unlock();
    },
  };
}
