import {
  type AppContext,
  AppError,
  type CreatedApiKey,
  createApiKey,
  KeyScope,
  MAX_RATE_LIMIT_PER_MINUTE,
  storable,
} from "@mcp-tools/core";
import { z } from "zod";

/** POST /api/keys, and what the /keys form is turned into. Strict: unknown fields are refused. */
export const CreateKeyBody = z.strictObject({
  name: storable(z.string().trim().min(1, "a key needs a name").max(200)),
  scope: KeyScope,
  /** Days from now; absent or null for a key that never expires. */
  expiresInDays: z.number().int().positive().max(3650).nullable().optional(),
  rateLimitPerMinute: z.number().int().positive().max(MAX_RATE_LIMIT_PER_MINUTE).nullable().optional(),
});
export type CreateKeyBody = z.infer<typeof CreateKeyBody>;

const DAY_MS = 24 * 60 * 60_000;

/** Creates a key from the form or API body; an allow-list may only name registered tools. */
export async function createKeyFrom(
  ctx: AppContext,
  body: CreateKeyBody,
  actor: string,
  now = new Date(),
): Promise<CreatedApiKey> {
  if (body.scope.kind === "tools") {
    const unknown = body.scope.tools.filter((name) => !ctx.tools.get(name));
    if (unknown.length > 0) throw new AppError("INVALID", `No tool named ${unknown.join(", ")}`);
  }
  return createApiKey(ctx.db.db, {
    name: body.name,
    scope: body.scope,
    expiresAt: body.expiresInDays ? new Date(now.getTime() + body.expiresInDays * DAY_MS) : null,
    rateLimitPerMinute: body.rateLimitPerMinute ?? null,
    createdBy: actor,
  });
}
