import { createApiKey, createDatabase } from "@mcp-tools/core";

/** An API key for every tool, made in the database at `databaseUrl` (as the admin service would). */
export async function createTestKey(databaseUrl: string, name = "deploy-test"): Promise<string> {
  const database = await createDatabase({
    DATABASE_URL: databaseUrl,
    DATA_DIR: "memory://",
    DATABASE_POOL_MAX: 1,
  });
  try {
    const { secret } = await createApiKey(database.db, { name, scope: { kind: "all" }, createdBy: "test" });
    return secret;
  } finally {
    await database.close();
  }
}

/** Headers that carry `key` as a bearer token. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
