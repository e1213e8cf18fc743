import {
  type AppContext,
  allToolsScope,
  createApiKey,
  MAX_RATE_LIMIT_PER_MINUTE,
  updateToolSettings,
} from "@mcp-tools/core";

/**
 * The highest limit the server accepts (about 16,600 calls a second), above anything one bench run
 * reaches, so every call pays for the check (one bus increment per limit) without ever being
 * refused: a refusal would count as a failed call.
 */
const UNREACHED_LIMIT_PER_MINUTE = MAX_RATE_LIMIT_PER_MINUTE;
/** Who the bench's changes are recorded as made by. */
export const ACTOR = "mcp-bench";

/**
 * The one API key the load generator uses, with a per-key rate limit, and a per-tool (echo) rate
 * limit; returns the key's secret. Run once per database: replicas sharing one reuse it.
 */
export async function setUpBenchKey(ctx: AppContext): Promise<string> {
  const { secret } = await createApiKey(ctx.db.db, {
    name: "bench",
    scope: allToolsScope,
    rateLimitPerMinute: UNREACHED_LIMIT_PER_MINUTE,
    createdBy: ACTOR,
  });
  await limitTool(ctx, "echo");
  return secret;
}

/** A per-tool rate limit on `tool`, never reached: each call pays for the check. */
export async function limitTool(ctx: AppContext, tool: string): Promise<void> {
  await updateToolSettings(ctx, tool, { rateLimitPerMinute: UNREACHED_LIMIT_PER_MINUTE }, ACTOR);
}
