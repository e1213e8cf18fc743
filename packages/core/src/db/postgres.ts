import { sql } from "drizzle-orm";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { cancellablePostgres } from "./cancellable.js";
import type { Database } from "./client.js";

/** PostgreSQL through postgres.js, `max` connections at most. */
export function createPostgres(url: string, max: number): Database {
  const client = postgres(url, { max, connect_timeout: 5, onnotice: () => {} });
  const db = drizzlePostgres(client);
  return {
    kind: "postgres",
    db,
    // postgres.js connects on the first query; a database that cannot be reached says so there.
    ready: Promise.resolve(),
    state: "open",
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
