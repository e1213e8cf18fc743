import { recordAdminAction } from "../audit/admin.js";
import type { Db } from "../db/client.js";
import { apiKeys } from "../db/schema.js";
import { AppError } from "../errors.js";
import { MAX_RATE_LIMIT_PER_MINUTE } from "../tools/settings/update.js";
import { type ApiKey, apiKeyColumns, toApiKey } from "./row.js";
import { KeyScope } from "./scope.js";
import { generateSecret, hashSecret } from "./secret.js";

export interface CreateApiKeyInput {
  name: string;
  scope: KeyScope;
  expiresAt?: Date | null;
  /** Calls per minute across every process; null or absent for no limit. */
  rateLimitPerMinute?: number | null;
  /** Who created it, for the admin audit. */
  createdBy: string;
}

export interface CreatedApiKey {
  key: ApiKey;
  /** Shown once: only its hash is stored. */
  secret: string;
}

/** Creates a key and returns its secret, which is never retrievable again. */
export async function createApiKey(db: Db, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (!name) throw new AppError("INVALID", "A key needs a name");
  const scope = KeyScope.safeParse(input.scope);
  if (!scope.success) throw new AppError("INVALID", `Invalid scope: ${scope.error.message}`);
  const limit = input.rateLimitPerMinute ?? null;
  if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_RATE_LIMIT_PER_MINUTE))
    throw new AppError(
      "INVALID",
      `rateLimitPerMinute: must be a whole number from 1 to ${MAX_RATE_LIMIT_PER_MINUTE}`,
      {
        details: { field: "rateLimitPerMinute" },
      },
    );
  const { prefix, secret } = generateSecret();
  const key = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        name,
        prefix,
        secretHash: hashSecret(secret),
        scope: scope.data,
        rateLimitPerMinute: limit,
        expiresAt: input.expiresAt ?? null,
        createdBy: input.createdBy,
      })
      .returning(apiKeyColumns);
    if (!row) throw new AppError("INTERNAL", "The key was not stored");
    const created = toApiKey(row);
    await recordAdminAction(tx, {
      actor: input.createdBy,
      action: "api_key.create",
      targetType: "api_key",
      targetId: created.id,
      after: { ...created, lastUsedAt: undefined },
    });
    return created;
  });
  return { key, secret };
}
