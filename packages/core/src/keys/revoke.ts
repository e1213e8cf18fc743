import { and, eq, isNull } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { Bus } from "../bus/bus.js";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import { AppError } from "../errors.js";
import { type ApiKey, apiKeyColumns, toApiKey } from "./row.js";
import { KEYS_CHANGED } from "./verifier.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Revokes a key. Takes effect on the next request in every process: the revocation is announced
 * on the bus, which drops the key from every process's cache. Revoking a revoked key is a no-op
 * that returns it unchanged.
 */
export async function revokeApiKey(
  { db, bus }: { db: Db; bus: Pick<Bus, "publish"> },
  id: string,
  actor: string,
  now = new Date(),
): Promise<ApiKey> {
  // Not a uuid cannot be a key; asking Postgres would only turn it into a syntax error.
  if (!UUID.test(id)) throw new AppError("NOT_FOUND", `No API key ${id}`);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning(apiKeyColumns);
  if (!row) {
    const [existing] = await db.select(apiKeyColumns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
    if (!existing) throw new AppError("NOT_FOUND", `No API key ${id}`);
    return toApiKey(existing);
  }
  const key = toApiKey(row);
  // Should the bus be down, the verifiers' TTL still ends the key within half a minute.
  await bus.publish(KEYS_CHANGED, key.prefix).catch(() => undefined);
  await recordAdminAction(db, {
    actor,
    action: "api_key.revoke",
    targetType: "api_key",
    targetId: id,
    before: { revokedAt: null },
    after: { revokedAt: key.revokedAt },
  });
  return key;
}
