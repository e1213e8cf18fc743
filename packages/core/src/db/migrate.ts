import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { count } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { integer, pgSchema } from "drizzle-orm/pg-core";
import type { Database } from "./client.js";

// Any fixed 32-bit number: every process of this server uses the same one.
const MIGRATION_LOCK_KEY = 0x6d6370;
const here = dirname(fileURLToPath(import.meta.url));
// drizzle's own bookkeeping table, read to tell whether this database is up to date.
const appliedMigrations = pgSchema("drizzle").table("__drizzle_migrations", { id: integer("id") });

/** The migrations folder: beside a bundled service (dist/drizzle) or in the core package (source). */
export function migrationsFolder(): string {
  const candidates = [join(here, "drizzle"), join(here, "../../drizzle")];
  const found = candidates.find((folder) => existsSync(join(folder, "meta/_journal.json")));
  if (!found) throw new Error(`No migrations folder found (looked in ${candidates.join(", ")})`);
  return found;
}

/** Applies pending migrations under an advisory lock, so concurrent starts apply each exactly once. */
export async function migrate(database: Database): Promise<void> {
  const folder = migrationsFolder();
  await database.withAdvisoryLock(MIGRATION_LOCK_KEY, () => database.applyMigrations(folder));
}

let committedCount: number | undefined;

/** How many committed migrations the database has not applied yet. */
export async function pendingMigrations(database: Database): Promise<number> {
  committedCount ??= readMigrationFiles({ migrationsFolder: migrationsFolder() }).length;
  const expected = committedCount;
  const [row] = await database.db.select({ applied: count() }).from(appliedMigrations);
  return Math.max(0, expected - (row?.applied ?? 0));
}
