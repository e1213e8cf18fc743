import { desc } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import { type ApiKey, apiKeyColumns, toApiKey } from "./row.js";

/** Every key, newest first, without hashes. */
export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db.select(apiKeyColumns).from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toApiKey);
}
