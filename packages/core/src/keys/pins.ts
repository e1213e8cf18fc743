import { and, eq, inArray } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { apiKeys, toolVersions } from "../db/schema.js";
import { AppError } from "../errors.js";
import { type ApiKey, apiKeyColumns, PinnedVersions, toApiKey } from "./row.js";
import { KEYS_CHANGED } from "./verifier.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Pins a key to tool versions: for each tool named, the key keeps seeing and calling that version,
 * whatever is approved after it (`{}` unpins every tool). Only versions that were approved may be
 * pinned. Takes effect on the key's next request in every process (the change is announced on the
 * bus, as a revocation is).
 */
export async function setKeyPins(
  ctx: Pick<AppContext, "db" | "bus">,
  id: string,
  pins: unknown,
  actor: string,
): Promise<ApiKey> {
  if (!UUID.test(id)) throw new AppError("NOT_FOUND", `No API key ${id.slice(0, 64)}`);
  const parsed = PinnedVersions.safeParse(pins);
  if (!parsed.success) throw new AppError("INVALID", `pins: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const wanted = Object.entries(parsed.data);
  const key = await ctx.db.db.transaction(async (tx) => {
    const [before] = await tx.select(apiKeyColumns).from(apiKeys).where(eq(apiKeys.id, id)).for("update");
    if (!before) throw new AppError("NOT_FOUND", `No API key ${id}`);
    if (wanted.length > 0) {
      const known = await tx
        .select({ name: toolVersions.name, hash: toolVersions.hash })
        .from(toolVersions)
        .where(
          and(
            inArray(
              toolVersions.hash,
              wanted.map(([, hash]) => hash),
            ),
            inArray(toolVersions.status, ["approved", "superseded"]),
          ),
        );
      const missing = wanted.find(
        ([name, hash]) => !known.some((row) => row.name === name && row.hash === hash),
      );
      if (missing)
        throw new AppError(
          "INVALID",
          `pins: ${missing[0]} has no approved version ${missing[1].slice(0, 12)}…`,
        );
    }
    const [row] = await tx
      .update(apiKeys)
      .set({ pinnedVersions: parsed.data })
      .where(eq(apiKeys.id, id))
      .returning(apiKeyColumns);
    await recordAdminAction(tx, {
      actor,
      action: "api_key.pin",
      targetType: "api_key",
      targetId: id,
      before: before.pinnedVersions,
      after: parsed.data,
    });
    return toApiKey(row ?? before);
  });
  await ctx.bus.publish(KEYS_CHANGED, key.prefix);
  return key;
}
