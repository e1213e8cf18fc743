import { and, eq, isNull, type SQL } from "drizzle-orm";
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
  const [revoked] = await db.transaction((tx) => revokeKeysIn(tx, eq(apiKeys.id, id), actor, now));
  if (revoked) {
    await announceRevoked(bus, [revoked]);
    return revoked;
  }
  const [existing] = await db.select(apiKeyColumns).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  if (!existing) throw new AppError("NOT_FOUND", `No API key ${id}`);
  return toApiKey(existing);
}

/**
 * Revokes the unrevoked keys `where` selects, inside the caller's transaction, with an audit row
 * each; the caller announces them (`announceRevoked`) once the transaction has committed.
 */
export async function revokeKeysIn(
  tx: Db,
  where: SQL | undefined,
  actor: string,
  now: Date,
  reason?: string,
): Promise<ApiKey[]> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(where, isNull(apiKeys.revokedAt)))
    .returning(apiKeyColumns);
  const keys = rows.map(toApiKey);
  for (const key of keys) {
    await recordAdminAction(tx, {
      actor,
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: key.id,
      before: { revokedAt: null },
      after: reason ? { revokedAt: key.revokedAt, reason } : { revokedAt: key.revokedAt },
    });
  }
  return keys;
}

/** Drops revoked keys from every process's cache; should the bus be down, the caches' TTL still ends them within half a minute. */
export async function announceRevoked(bus: Pick<Bus, "publish">, keys: readonly ApiKey[]): Promise<void> {
  await Promise.all(keys.map((key) => bus.publish(KEYS_CHANGED, key.prefix).catch(() => undefined)));
}
