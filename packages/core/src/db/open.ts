import { createDatabase, type Database } from "./client.js";
import { migrate, migrationsFolder } from "./migrate.js";

type OpenConfig = Parameters<typeof createDatabase>[0];

/**
 * The database, migrated. PostgreSQL is reached and migrated before this resolves (processes
 * starting together take turns under an advisory lock). The embedded database resolves at once and
 * opens and migrates behind its first statements: a process answers what needs no database
 * (`initialize`, `tools/list`, `/health`) while PGlite starts, which takes a second or more.
 */
export async function openDatabase(config: OpenConfig): Promise<Database> {
  if (!config.DATABASE_URL) return createDatabase(config, { migrateBehind: migrationsFolder() });
  const database = await createDatabase(config);
  try {
    await migrate(database);
  } catch (error) {
    await database.close();
    throw new Error("Database migration failed", { cause: error });
  }
  return database;
}
